import { ConfigError, componentConfig, conv1dStack, layerNamePrefix, tf, validateConfig, type ConfigSchema, type Encoder } from '@polyfuse/core';

export const audioCnn1dSchema: ConfigSchema = {
  inputShape: { type: 'number[]', default: [8000, 1], description: 'Per-sample waveform shape [samples, channels] (audio-waveform output).' },
  filters: { type: 'number[]', default: [16, 32, 64], description: 'Filters per conv block.' },
  firstKernelSize: { type: 'integer', default: 80, min: 1, description: 'Kernel of the first conv (~10 ms at 8 kHz), as in M5 (Dai et al. 2017).', deprecated: { names: ['firstKernel'] } },
  firstStride: { type: 'integer', default: 4, min: 1, description: 'Stride of the first conv.' },
  kernelSize: { type: 'integer', default: 3, min: 1, description: 'Kernel of the later convs.' },
  batchNorm: { type: 'boolean', default: true },
  pool: { type: 'integer', default: 4, min: 1, description: 'Max-pool size and stride after each block (1 = none).' },
  units: { type: 'integer', default: 64, min: 0, description: 'Embedding size (dense ReLU); 0 = the pooled features.' },
  dropout: { type: 'number', default: 0, min: 0, max: 0.99 },
};

/**
 * `encoder/audio-cnn1d`: a 1-D CNN over the raw waveform `[samples, 1]` →
 * `[units]`, in the style of M5: a wide strided first conv, then conv →
 * [batch-norm] → ReLU → max-pool blocks, global average pooling over time,
 * and a dense ReLU layer (core's `conv1dStack`, shared with signal-cnn1d).
 */
export function createAudioCnn1dEncoder(config: Record<string, unknown> = {}): Encoder {
  const { modality, ...options } = config;
  const o = validateConfig<{ inputShape: number[]; filters: number[]; firstKernelSize: number; firstStride: number; kernelSize: number; batchNorm: boolean; pool: number; units: number; dropout: number }>(
    audioCnn1dSchema,
    options,
    'encoder/audio-cnn1d',
  );
  if (o.inputShape.length !== 2 || o.inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ConfigError(`encoder/audio-cnn1d.inputShape must be [samples, channels] of positive integers, got ${JSON.stringify(o.inputShape)}.`);
  }
  const stack = conv1dStack({
    filters: o.filters,
    kernelSize: o.kernelSize,
    firstKernelSize: o.firstKernelSize,
    firstStride: o.firstStride,
    batchNorm: o.batchNorm,
    pool: o.pool,
    dropout: o.dropout,
    denseUnits: o.units,
    namePrefix: layerNamePrefix(modality, 'audiocnn1d'),
    label: 'encoder/audio-cnn1d',
  });
  const outputShape = stack.outputShape(o.inputShape);
  return {
    inputShape: o.inputShape,
    inputDtype: 'float32',
    outputShape,
    config: componentConfig('audio-cnn1d', o),
    apply: ((input: tf.Tensor) => stack.apply(input)) as Encoder['apply'],
  };
}
