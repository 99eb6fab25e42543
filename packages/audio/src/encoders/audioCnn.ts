import { ConfigError, componentConfig, conv2dStack, layerNamePrefix, validateConfig, type ConfigSchema, type Encoder, type tf } from '@polyfuse/core';

export const audioCnnSchema: ConfigSchema = {
  inputShape: { type: 'number[]', default: [40, 32, 1], description: 'Per-sample log-mel shape [nMels, frames, 1] (audio-logmel output).' },
  filters: { type: 'number[]', default: [16, 32, 64], description: 'Filters per conv block.' },
  kernelSize: { type: 'integer', default: 3, min: 1 },
  batchNorm: { type: 'boolean', default: true, description: 'Batch normalisation between each conv and its ReLU.' },
  pool: { type: 'integer', default: 2, min: 1, description: 'Max-pool size and stride after each block (1 = none).' },
  pooling: {
    type: 'string',
    default: 'mean',
    enum: ['flatten', 'mean'],
    description: 'How the last feature map becomes a vector: mean (global average) or flatten.',
    deprecated: { names: ['reduce'], values: { globalAverage: 'mean' } },
  },
  units: { type: 'integer', default: 64, min: 0, description: 'Embedding size (a dense ReLU layer); 0 = the reduced feature map itself.' },
  dropout: { type: 'number', default: 0, min: 0, max: 0.99 },
};

/**
 * `encoder/audio-cnn`: a 2-D CNN over a log-mel spectrogram `[nMels, frames, 1]`
 * → pooled embedding `[units]`. Blocks of conv → [batch-norm] → ReLU →
 * max-pool (core's shared `conv2dStack`), then global average pooling
 * (`pooling: mean`) or flatten, and a dense ReLU layer.
 */
export function createAudioCnnEncoder(config: Record<string, unknown> = {}): Encoder {
  const { modality, ...options } = config;
  const o = validateConfig<{ inputShape: number[]; filters: number[]; kernelSize: number; batchNorm: boolean; pool: number; pooling: 'flatten' | 'mean'; units: number; dropout: number }>(
    audioCnnSchema,
    options,
    'encoder/audio-cnn',
  );
  if (o.inputShape.length !== 3 || o.inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ConfigError(`encoder/audio-cnn.inputShape must be [nMels, frames, channels] of positive integers, got ${JSON.stringify(o.inputShape)}.`);
  }
  const stack = conv2dStack({
    filters: o.filters,
    kernelSize: o.kernelSize,
    batchNorm: o.batchNorm,
    pool: o.pool,
    reduce: o.pooling === 'mean' ? 'globalAverage' : 'flatten',
    denseUnits: o.units,
    denseActivation: 'relu',
    dropout: o.dropout,
    namePrefix: layerNamePrefix(modality, 'audiocnn'),
  });
  const outputShape = stack.outputShape(o.inputShape);
  return {
    inputShape: o.inputShape,
    inputDtype: 'float32',
    outputShape,
    config: componentConfig('audio-cnn', o),
    apply: ((input: tf.Tensor | tf.SymbolicTensor) => stack.apply(input as tf.Tensor)) as Encoder['apply'],
  };
}
