import { tf } from '../tf.js';
import { ConfigError } from '../errors/errors.js';
import { MultiHeadAttention } from './multiHeadAttention.js';

/** Options of one transformer encoder block. */
export interface TransformerBlockOptions {
  /** Width of the residual stream (the input's last dimension). */
  modelDim: number;
  /** Attention heads; `modelDim` must be divisible by it. */
  numHeads: number;
  /** Hidden units of the feed-forward sub-layer. Default `4 * modelDim`. */
  ffUnits?: number;
  /** Feed-forward activation. Default `relu`. */
  activation?: string;
  /** Dropout after attention and feed-forward (training only). Default 0. */
  dropout?: number;
  /** Layer-name prefix, unique within the model (e.g. `text_block1`). */
  namePrefix?: string;
}

/** A built block: call it on `[B, T, D]` (and an optional `[B, T]` padding mask). */
export interface TransformerBlock {
  apply(x: tf.SymbolicTensor, mask?: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(x: tf.Tensor, mask?: tf.Tensor, kwargs?: { training?: boolean }): tf.Tensor;
}

/**
 * A pre-norm transformer encoder block (as in ViT and GPT-2):
 * `x + Dropout(MHA(LN(x), mask))`, then `x + Dropout(FF(LN(x)))` with
 * `FF = Dense(ffUnits, activation) → Dense(modelDim)`. Built from tfjs-layers
 * layers plus our serialisable MultiHeadAttention, so models containing it
 * save and load as standard LayersModels. Padded keys (mask 0) get no attention.
 */
export function transformerEncoderBlock(options: TransformerBlockOptions): TransformerBlock {
  const { modelDim, numHeads, ffUnits = 4 * modelDim, activation = 'relu', dropout = 0, namePrefix } = options;
  if (!Number.isInteger(modelDim) || modelDim < 1 || !Number.isInteger(numHeads) || numHeads < 1 || modelDim % numHeads !== 0) {
    throw new ConfigError(`transformerEncoderBlock: modelDim (${modelDim}) must be a positive multiple of numHeads (${numHeads}).`);
  }
  if (!(dropout >= 0 && dropout < 1)) throw new ConfigError(`transformerEncoderBlock: dropout must be in [0, 1), got ${dropout}.`);
  const name = (part: string) => (namePrefix ? { name: `${namePrefix}_${part}` } : {});
  const norm1 = tf.layers.layerNormalization({ epsilon: 1e-6, ...name('ln1') });
  const attention = new MultiHeadAttention({ numHeads, keyDim: modelDim / numHeads, ...name('attention') });
  const add1 = tf.layers.add({ ...name('add1') });
  const norm2 = tf.layers.layerNormalization({ epsilon: 1e-6, ...name('ln2') });
  const ff1 = tf.layers.dense({ units: ffUnits, activation: activation as never, ...name('ff1') });
  const ff2 = tf.layers.dense({ units: modelDim, ...name('ff2') });
  const add2 = tf.layers.add({ ...name('add2') });
  const drop1 = dropout > 0 ? tf.layers.dropout({ rate: dropout, ...name('drop1') }) : undefined;
  const drop2 = dropout > 0 ? tf.layers.dropout({ rate: dropout, ...name('drop2') }) : undefined;

  type T = tf.Tensor;
  const apply = (x: T, mask?: T, kwargs?: { training?: boolean }): T => {
    const call = (layer: tf.layers.Layer, input: T | T[]) => layer.apply(input, kwargs) as T;
    const normed = call(norm1, x);
    let attended = call(attention, mask ? [normed, normed, mask] : [normed, normed]);
    if (drop1) attended = call(drop1, attended);
    const mid = call(add1, [x, attended]);
    let fed = call(ff2, call(ff1, call(norm2, mid)));
    if (drop2) fed = call(drop2, fed);
    return call(add2, [mid, fed]);
  };
  return { apply: apply as TransformerBlock['apply'] };
}
