import { tf } from '../tf.js';
import { ConfigError } from '../errors/errors.js';
import { batchNormalization } from './batchNormalization.js';
import { conv2d } from './conv2d.js';

/** Options of a stack of 2-D convolution blocks. */
export interface Conv2dStackOptions {
  /** Filters per block; one block per entry, e.g. `[16, 32]`. */
  filters: number[];
  /** Square kernel size of every conv. Default 3. */
  kernelSize?: number;
  /** Conv padding. Default `same`. */
  padding?: 'same' | 'valid';
  /** Activation after each conv (after batch-norm when enabled). Default `relu`. */
  activation?: string;
  /** Batch normalisation between conv and activation. Default false. */
  batchNorm?: boolean;
  /** Max-pool size and stride after each block; 0 or 1 disables pooling. Default 2. */
  pool?: number;
  /** How the last feature map becomes a vector. Default `flatten`. */
  reduce?: 'flatten' | 'globalAverage' | 'none';
  /** Optional dense layer after the reduction (0 = none). Default 0. */
  denseUnits?: number;
  /** Activation of that dense layer. Default the conv activation. */
  denseActivation?: string;
  /** Dropout rate before the dense layer (and after it when there is one). Default 0. */
  dropout?: number;
  /** Layer-name prefix, e.g. the modality, so two stacks in one model never clash. */
  namePrefix?: string;
}

/** A built conv stack: its layers in order, and how to run them. */
export interface Conv2dStack {
  readonly layers: tf.layers.Layer[];
  /** Runs the blocks on `[B, H, W, C]` (symbolic or concrete). */
  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor, kwargs?: { training?: boolean }): tf.Tensor;
  /** Per-sample output shape for a per-sample input shape `[H, W, C]`. */
  outputShape(inputShape: number[]): number[];
}

/**
 * Builds conv2d → [batchNorm → activation] → maxPool blocks (without batch
 * norm, the activation is the conv layer's own), then flatten or
 * global-average-pool, then optional dropout + dense, from tfjs-layers layers
 * (so the result serialises as a plain LayersModel). Shared by the image CNN
 * and the log-mel CNN of @polyfuse/audio.
 */
export function conv2dStack(options: Conv2dStackOptions): Conv2dStack {
  const {
    filters,
    kernelSize = 3,
    padding = 'same',
    activation = 'relu',
    batchNorm = false,
    pool = 2,
    reduce = 'flatten',
    denseUnits = 0,
    denseActivation = activation,
    dropout = 0,
    namePrefix,
  } = options;
  if (!Array.isArray(filters) || filters.length === 0 || filters.some((f) => !Number.isInteger(f) || f < 1)) {
    throw new ConfigError(`conv2dStack: filters must be a non-empty list of positive integers, got ${JSON.stringify(filters)}.`);
  }
  if (!Number.isInteger(kernelSize) || kernelSize < 1) {
    throw new ConfigError(`conv2dStack: kernelSize must be a positive integer, got ${kernelSize}.`);
  }
  if (!(dropout >= 0 && dropout < 1)) throw new ConfigError(`conv2dStack: dropout must be in [0, 1), got ${dropout}.`);
  const name = (part: string) => (namePrefix ? { name: `${namePrefix}_${part}` } : {});
  const layers: tf.layers.Layer[] = [];
  filters.forEach((count, i) => {
    const block = i + 1;
    if (batchNorm) {
      layers.push(conv2d({ filters: count, kernelSize, padding, useBias: false, ...name(`conv${block}`) }));
      layers.push(batchNormalization({ ...name(`bn${block}`) }));
      layers.push(tf.layers.activation({ activation: activation as never, ...name(`act${block}`) }));
    } else {
      // The activation inside the conv layer: core's Conv2D runs conv, bias and ReLU as one pass on wasm, and
      // elsewhere tfjs runs them as separate ops under a gradient tape; either way the backward pass skips the
      // input gradient of the first layer (tfjs' fused op, which a linear activation gets, always computes it).
      layers.push(conv2d({ filters: count, kernelSize, padding, activation: activation as never, ...name(`conv${block}`) }));
    }
    if (pool > 1) layers.push(tf.layers.maxPooling2d({ poolSize: pool, strides: pool, padding: 'valid', ...name(`pool${block}`) }));
  });
  if (reduce === 'flatten') layers.push(tf.layers.flatten({ ...name('flatten') }));
  else if (reduce === 'globalAverage') layers.push(tf.layers.globalAveragePooling2d({ ...name('gap') }));
  if (denseUnits > 0) {
    if (dropout > 0) layers.push(tf.layers.dropout({ rate: dropout, ...name('dropout_in') }));
    layers.push(tf.layers.dense({ units: denseUnits, activation: denseActivation as never, ...name('dense') }));
  }
  if (dropout > 0) layers.push(tf.layers.dropout({ rate: dropout, ...name('dropout') }));

  const apply = ((input: tf.Tensor | tf.SymbolicTensor, kwargs?: { training?: boolean }) =>
    layers.reduce<tf.Tensor | tf.SymbolicTensor>((x, layer) => layer.apply(x as tf.Tensor, kwargs) as tf.Tensor, input)) as Conv2dStack['apply'];
  const outputShape = (inputShape: number[]): number[] => {
    let shape: (number | null)[] = [null, ...inputShape];
    for (const layer of layers) {
      shape = layer.computeOutputShape(shape) as (number | null)[];
      if (shape.slice(1).some((d) => !((d as number) > 0))) {
        throw new ConfigError(
          `conv2dStack: input ${JSON.stringify(inputShape)} is too small for ${filters.length} blocks with pool ${pool} (${layer.name} gives ${JSON.stringify(shape.slice(1))}).`,
        );
      }
    }
    return shape.slice(1) as number[];
  };
  return { layers, apply, outputShape };
}
