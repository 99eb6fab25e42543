import { ConfigError, tf, validateConfig, type ConfigSchema, type Encoder } from '@polyfuse/core';

export const audioCnn1dSchema: ConfigSchema = {
  inputShape: { type: 'number[]', default: [8000, 1], description: 'Per-sample waveform shape [samples, channels] (audio-waveform output).' },
  filters: { type: 'number[]', default: [16, 32, 64], description: 'Filters per conv block.' },
  firstKernel: { type: 'integer', default: 80, min: 1, description: 'Kernel of the first conv (~10 ms at 8 kHz), as in M5 (Dai et al. 2017).' },
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
 * and a dense ReLU layer.
 */
export function createAudioCnn1dEncoder(config: Record<string, unknown> = {}): Encoder {
  const { modality, ...options } = config;
  const o = validateConfig<{ inputShape: number[]; filters: number[]; firstKernel: number; firstStride: number; kernelSize: number; batchNorm: boolean; pool: number; units: number; dropout: number }>(
    audioCnn1dSchema,
    options,
    'encoder/audio-cnn1d',
  );
  if (o.inputShape.length !== 2 || o.inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ConfigError(`encoder/audio-cnn1d.inputShape must be [samples, channels] of positive integers, got ${JSON.stringify(o.inputShape)}.`);
  }
  if (o.filters.length === 0 || o.filters.some((f) => !Number.isInteger(f) || f < 1)) {
    throw new ConfigError(`encoder/audio-cnn1d.filters must be a non-empty list of positive integers, got ${JSON.stringify(o.filters)}.`);
  }
  const prefix = typeof modality === 'string' ? `${modality}_audiocnn1d` : undefined;
  const name = (part: string) => (prefix ? { name: `${prefix}_${part}` } : {});
  const layers: tf.layers.Layer[] = [];
  o.filters.forEach((filters, i) => {
    const first = i === 0;
    layers.push(
      tf.layers.conv1d({
        filters,
        kernelSize: first ? o.firstKernel : o.kernelSize,
        strides: first ? o.firstStride : 1,
        padding: 'same',
        useBias: !o.batchNorm,
        ...name(`conv${i + 1}`),
      }),
    );
    if (o.batchNorm) layers.push(tf.layers.batchNormalization({ ...name(`bn${i + 1}`) }));
    layers.push(tf.layers.activation({ activation: 'relu', ...name(`relu${i + 1}`) }));
    if (o.pool > 1) layers.push(tf.layers.maxPooling1d({ poolSize: o.pool, strides: o.pool, ...name(`pool${i + 1}`) }));
  });
  layers.push(tf.layers.globalAveragePooling1d({ ...name('gap') }));
  if (o.dropout > 0) layers.push(tf.layers.dropout({ rate: o.dropout, ...name('dropout') }));
  if (o.units > 0) layers.push(tf.layers.dense({ units: o.units, activation: 'relu', ...name('dense') }));

  let shape: (number | null)[] = [null, ...o.inputShape];
  for (const layer of layers) {
    shape = layer.computeOutputShape(shape) as (number | null)[];
    if (shape.slice(1).some((d) => d !== null && d < 1)) {
      throw new ConfigError(`encoder/audio-cnn1d: input ${JSON.stringify(o.inputShape)} is too short for ${o.filters.length} blocks with stride ${o.firstStride} and pool ${o.pool}.`);
    }
  }
  return {
    inputShape: o.inputShape,
    inputDtype: 'float32',
    outputShape: shape.slice(1) as number[],
    config: { name: 'audio-cnn1d', config: o },
    apply: ((input: tf.Tensor) => layers.reduce((x, layer) => layer.apply(x) as tf.Tensor, input)) as Encoder['apply'],
  };
}
