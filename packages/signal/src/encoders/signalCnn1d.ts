import { ConfigError, tf, validateConfig, type ConfigSchema, type Encoder } from '@polyfuse/core';
import { layerNamer } from './layerNames.js';

export const signalCnn1dSchema: ConfigSchema = {
  inputShape: { type: 'number[]', required: true, description: '[steps, channels] (preprocessor/timeseries output).' },
  filters: { type: 'number[]', default: [32, 64], description: 'Filters per conv block.' },
  kernelSize: { type: 'integer', default: 5, min: 1 },
  batchNorm: { type: 'boolean', default: true },
  pool: { type: 'integer', default: 2, min: 1, description: 'Max-pool size and stride after each block (1 = none).' },
  units: { type: 'integer', default: 64, min: 0, description: 'Embedding size (dense ReLU); 0 = the pooled features.' },
  dropout: { type: 'number', default: 0, min: 0, max: 0.99 },
  pooling: { type: 'string', default: 'mean', enum: ['mean', 'none'], description: 'mean: [units]; none: the feature sequence [steps / pool^blocks, filters[-1]] (units unused).' },
};

/**
 * `encoder/signal-cnn1d`: a 1-D CNN over a multichannel time series
 * `[steps, channels]`: conv → [batch-norm] → ReLU → max-pool blocks, then
 * global average pooling over time and a dense ReLU layer → `[units]`, or the
 * pooled feature sequence for attention-based fusion.
 */
export function createSignalCnn1dEncoder(config: Record<string, unknown>): Encoder {
  const { modality, ...options } = config;
  const o = validateConfig<{ inputShape: number[]; filters: number[]; kernelSize: number; batchNorm: boolean; pool: number; units: number; dropout: number; pooling: 'mean' | 'none' }>(
    signalCnn1dSchema,
    options,
    'encoder/signal-cnn1d',
  );
  if (o.inputShape.length !== 2 || o.inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ConfigError(`encoder/signal-cnn1d.inputShape must be [steps, channels] of positive integers, got ${JSON.stringify(o.inputShape)}.`);
  }
  if (o.filters.length === 0 || o.filters.some((f) => !Number.isInteger(f) || f < 1)) {
    throw new ConfigError(`encoder/signal-cnn1d.filters must be a non-empty list of positive integers, got ${JSON.stringify(o.filters)}.`);
  }
  const name = layerNamer(modality, 'cnn1d');
  const layers: tf.layers.Layer[] = [];
  o.filters.forEach((filters, i) => {
    layers.push(tf.layers.conv1d({ filters, kernelSize: o.kernelSize, padding: 'same', useBias: !o.batchNorm, ...name(`conv${i + 1}`) }));
    if (o.batchNorm) layers.push(tf.layers.batchNormalization({ ...name(`bn${i + 1}`) }));
    layers.push(tf.layers.activation({ activation: 'relu', ...name(`relu${i + 1}`) }));
    if (o.pool > 1) layers.push(tf.layers.maxPooling1d({ poolSize: o.pool, strides: o.pool, ...name(`pool${i + 1}`) }));
  });
  if (o.pooling === 'mean') {
    layers.push(tf.layers.globalAveragePooling1d({ ...name('gap') }));
    if (o.dropout > 0) layers.push(tf.layers.dropout({ rate: o.dropout, ...name('dropout') }));
    if (o.units > 0) layers.push(tf.layers.dense({ units: o.units, activation: 'relu', ...name('dense') }));
  }
  let shape: (number | null)[] = [null, ...o.inputShape];
  for (const layer of layers) {
    shape = layer.computeOutputShape(shape) as (number | null)[];
    if (shape.slice(1).some((d) => d !== null && d < 1)) {
      throw new ConfigError(`encoder/signal-cnn1d: ${o.inputShape[0]} steps are too few for ${o.filters.length} blocks with pool ${o.pool}.`);
    }
  }
  return {
    inputShape: o.inputShape,
    inputDtype: 'float32',
    outputShape: shape.slice(1) as number[],
    config: { name: 'signal-cnn1d', config: o },
    apply: ((input: tf.Tensor) => layers.reduce((x, layer) => layer.apply(x) as tf.Tensor, input)) as Encoder['apply'],
  };
}
