import { ConfigError, componentConfig, conv1dStack, layerNamePrefix, tf, validateConfig, type ConfigSchema, type Encoder } from '@polyfuse/core';

export const signalCnn1dSchema: ConfigSchema = {
  inputShape: { type: 'number[]', required: true, description: '[steps, channels] (preprocessor/timeseries output).' },
  filters: { type: 'number[]', default: [32, 64], description: 'Filters per conv block.' },
  kernelSize: { type: 'integer', default: 5, min: 1 },
  batchNorm: { type: 'boolean', default: true },
  pool: { type: 'integer', default: 2, min: 1, description: 'Max-pool size and stride after each block (1 = none).' },
  units: { type: 'integer', default: 64, min: 0, description: 'Embedding size (dense ReLU); 0 = the pooled features.' },
  dropout: { type: 'number', default: 0, min: 0, max: 0.99 },
  pooling: {
    type: 'string',
    default: 'mean',
    enum: ['mean', 'sequence'],
    description: 'mean: [units]; sequence: the feature sequence [steps / pool^blocks, filters[-1]] (units unused).',
    deprecated: { values: { none: 'sequence' } },
  },
};

/**
 * `encoder/signal-cnn1d`: a 1-D CNN over a multichannel time series
 * `[steps, channels]`: conv → [batch-norm] → ReLU → max-pool blocks, then
 * global average pooling over time and a dense ReLU layer → `[units]`, or the
 * pooled feature sequence for attention-based fusion (core's `conv1dStack`,
 * shared with audio-cnn1d).
 *
 * No `paddingMask`: inputs are fixed-length (preprocessor/timeseries crops or
 * zero-pads to `length` without marking the padded steps), so every step of
 * the sequence output counts as real.
 */
export function createSignalCnn1dEncoder(config: Record<string, unknown>): Encoder {
  const { modality, ...options } = config;
  const o = validateConfig<{ inputShape: number[]; filters: number[]; kernelSize: number; batchNorm: boolean; pool: number; units: number; dropout: number; pooling: 'mean' | 'sequence' }>(
    signalCnn1dSchema,
    options,
    'encoder/signal-cnn1d',
  );
  if (o.inputShape.length !== 2 || o.inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ConfigError(`encoder/signal-cnn1d.inputShape must be [steps, channels] of positive integers, got ${JSON.stringify(o.inputShape)}.`);
  }
  const stack = conv1dStack({
    filters: o.filters,
    kernelSize: o.kernelSize,
    batchNorm: o.batchNorm,
    pool: o.pool,
    reduce: o.pooling === 'mean' ? 'globalAverage' : 'none',
    dropout: o.dropout,
    denseUnits: o.units,
    namePrefix: layerNamePrefix(modality, 'cnn1d'),
    label: 'encoder/signal-cnn1d',
  });
  const outputShape = stack.outputShape(o.inputShape);
  return {
    inputShape: o.inputShape,
    inputDtype: 'float32',
    outputShape,
    config: componentConfig('signal-cnn1d', o),
    apply: ((input: tf.Tensor) => stack.apply(input)) as Encoder['apply'],
  };
}
