import { ConfigError, componentConfig, layerNamer, tf, validateConfig, type ConfigSchema, type Encoder } from '@polyfuse/core';

export const signalMlpSchema: ConfigSchema = {
  inputSize: { type: 'integer', required: true, min: 1, description: 'Features per sample (preprocessor/numeric or categorical output size).' },
  units: { type: 'number[]', default: [64, 64], description: 'Hidden layer sizes; the last is the embedding size.' },
  activation: { type: 'string', default: 'relu', enum: ['relu', 'tanh', 'elu', 'selu', 'linear'] },
  batchNorm: { type: 'boolean', default: false, description: 'Batch normalisation before each activation.' },
  dropout: { type: 'number', default: 0, min: 0, max: 0.99, description: 'Dropout after each hidden layer.' },
};

/**
 * `encoder/signal-mlp`: a multilayer perceptron over a feature vector
 * `[inputSize]` → `[units[-1]]`: dense → [batch-norm] → activation → [dropout] per layer.
 */
export function createSignalMlpEncoder(config: Record<string, unknown>): Encoder {
  const { modality, ...options } = config;
  const o = validateConfig<{ inputSize: number; units: number[]; activation: string; batchNorm: boolean; dropout: number }>(signalMlpSchema, options, 'encoder/signal-mlp');
  if (o.units.length === 0 || o.units.some((u) => !Number.isInteger(u) || u < 1)) {
    throw new ConfigError(`encoder/signal-mlp.units must be a non-empty list of positive integers, got ${JSON.stringify(o.units)}.`);
  }
  const name = layerNamer(modality, 'mlp');
  const layers: tf.layers.Layer[] = [];
  o.units.forEach((units, i) => {
    layers.push(tf.layers.dense({ units, useBias: !o.batchNorm, ...name(`dense${i + 1}`) }));
    if (o.batchNorm) layers.push(tf.layers.batchNormalization({ ...name(`bn${i + 1}`) }));
    layers.push(tf.layers.activation({ activation: o.activation as 'relu', ...name(`act${i + 1}`) }));
    if (o.dropout > 0) layers.push(tf.layers.dropout({ rate: o.dropout, ...name(`dropout${i + 1}`) }));
  });
  return {
    inputShape: [o.inputSize],
    inputDtype: 'float32',
    outputShape: [o.units[o.units.length - 1]!],
    config: componentConfig('signal-mlp', o),
    apply: ((input: tf.Tensor) => layers.reduce((x, layer) => layer.apply(x) as tf.Tensor, input)) as Encoder['apply'],
  };
}
