import { tf } from '../tf.js';
import { ConfigError } from '../errors/errors.js';

/** Options of a stack of 1-D convolution blocks (time series, waveforms). */
export interface Conv1dStackOptions {
  /** Filters per block; one block per entry, e.g. `[16, 32]`. */
  filters: number[];
  /** Kernel size of every conv. Default 3. */
  kernelSize?: number;
  /** Kernel size of the first conv only (M5-style wide first layer). Default `kernelSize`. */
  firstKernelSize?: number;
  /** Stride of the first conv only; later convs use stride 1. Default 1. */
  firstStride?: number;
  /** Activation after each conv (after batch-norm when enabled). Default `relu`. */
  activation?: string;
  /** Batch normalisation between conv and activation. Default false. */
  batchNorm?: boolean;
  /** Max-pool size and stride after each block; 0 or 1 disables pooling. Default 2. */
  pool?: number;
  /** How the last feature sequence becomes a vector: averaged over time, or kept (`none`). Default `globalAverage`. */
  reduce?: 'globalAverage' | 'none';
  /** Optional dense layer after the reduction (0 = none). Default 0. */
  denseUnits?: number;
  /** Activation of that dense layer. Default the conv activation. */
  denseActivation?: string;
  /** Dropout rate after the reduction (before the dense layer). Default 0. */
  dropout?: number;
  /** Layer-name prefix, e.g. the modality, so two stacks in one model never clash. */
  namePrefix?: string;
  /** What error messages call this stack, e.g. `encoder/signal-cnn1d`. Default `conv1dStack`. */
  label?: string;
}

/** A built conv stack: its layers in order, and how to run them. */
export interface Conv1dStack {
  readonly layers: tf.layers.Layer[];
  /** Runs the blocks on `[B, T, C]` (symbolic or concrete). */
  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor, kwargs?: { training?: boolean }): tf.Tensor;
  /** Per-sample output shape for a per-sample input shape `[T, C]`; throws when the input is too short. */
  outputShape(inputShape: number[]): number[];
}

/**
 * Builds conv1d ('same' padding) → [batchNorm] → activation → maxPool blocks,
 * then optionally global average pooling over time, dropout and a dense layer,
 * from tfjs-layers layers (so the result serialises as a plain LayersModel).
 * The 1-D sibling of `conv2dStack`; shared by @polyfuse/audio's waveform CNN
 * (wide strided first conv, as in M5) and @polyfuse/signal's time-series CNN.
 */
export function conv1dStack(options: Conv1dStackOptions): Conv1dStack {
  const {
    filters,
    kernelSize = 3,
    firstKernelSize = kernelSize,
    firstStride = 1,
    activation = 'relu',
    batchNorm = false,
    pool = 2,
    reduce = 'globalAverage',
    denseUnits = 0,
    denseActivation = activation,
    dropout = 0,
    namePrefix,
    label = 'conv1dStack',
  } = options;
  if (!Array.isArray(filters) || filters.length === 0 || filters.some((f) => !Number.isInteger(f) || f < 1)) {
    throw new ConfigError(`${label}: filters must be a non-empty list of positive integers, got ${JSON.stringify(filters)}.`);
  }
  for (const [option, value] of [['kernelSize', kernelSize], ['firstKernelSize', firstKernelSize], ['firstStride', firstStride]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${label}: ${option} must be a positive integer, got ${value}.`);
  }
  if (!(dropout >= 0 && dropout < 1)) throw new ConfigError(`${label}: dropout must be in [0, 1), got ${dropout}.`);
  const name = (part: string) => (namePrefix ? { name: `${namePrefix}_${part}` } : {});
  const layers: tf.layers.Layer[] = [];
  filters.forEach((count, i) => {
    const block = i + 1;
    const first = i === 0;
    layers.push(
      tf.layers.conv1d({
        filters: count,
        kernelSize: first ? firstKernelSize : kernelSize,
        strides: first ? firstStride : 1,
        padding: 'same',
        useBias: !batchNorm,
        ...name(`conv${block}`),
      }),
    );
    if (batchNorm) layers.push(tf.layers.batchNormalization({ ...name(`bn${block}`) }));
    layers.push(tf.layers.activation({ activation: activation as never, ...name(`act${block}`) }));
    if (pool > 1) layers.push(tf.layers.maxPooling1d({ poolSize: pool, strides: pool, ...name(`pool${block}`) }));
  });
  if (reduce === 'globalAverage') {
    layers.push(tf.layers.globalAveragePooling1d({ ...name('gap') }));
    if (dropout > 0) layers.push(tf.layers.dropout({ rate: dropout, ...name('dropout') }));
    if (denseUnits > 0) layers.push(tf.layers.dense({ units: denseUnits, activation: denseActivation as never, ...name('dense') }));
  }

  const apply = ((input: tf.Tensor | tf.SymbolicTensor, kwargs?: { training?: boolean }) =>
    layers.reduce<tf.Tensor | tf.SymbolicTensor>((x, layer) => layer.apply(x as tf.Tensor, kwargs) as tf.Tensor, input)) as Conv1dStack['apply'];
  const outputShape = (inputShape: number[]): number[] => {
    let shape: (number | null)[] = [null, ...inputShape];
    for (const layer of layers) {
      shape = layer.computeOutputShape(shape) as (number | null)[];
      if (shape.slice(1).some((d) => !((d as number) > 0))) {
        throw new ConfigError(
          `${label}: input ${JSON.stringify(inputShape)} is too short for ${filters.length} blocks with first stride ${firstStride} and pool ${pool} (${layer.name} gives ${JSON.stringify(shape.slice(1))}).`,
        );
      }
    }
    return shape.slice(1) as number[];
  };
  return { layers, apply, outputShape };
}
