import { tf } from '@polyfuse/core';

/**
 * Small tensor helpers shared by the fusion layers. Each works on concrete
 * tensors inside a layer's `call` (where tfjs-layers runs them under tf.tidy).
 */

/** A `[B]` (or `[B, 1]`) 0/1 mask as float `[B, 1]`; any value > 0.5 counts as present. */
export function presence(mask: tf.Tensor): tf.Tensor2D {
  return tf.cast(tf.greater(tf.reshape(mask, [-1, 1]), 0.5), 'float32') as tf.Tensor2D;
}

/**
 * `x` where the sample's modality is present, exact zeros where it is absent.
 * `tf.where` (not a product) so NaN or Inf in absent samples cannot leak into
 * the output or its gradient.
 */
export function maskEmbedding(x: tf.Tensor, present: tf.Tensor2D): tf.Tensor {
  const x32 = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
  const shape = [x32.shape[0], ...x32.shape.slice(1).map(() => 1)];
  const condition = tf.broadcastTo(tf.greater(tf.reshape(present, shape), 0.5), x32.shape);
  return tf.where(condition, x32, tf.zerosLike(x32));
}

/**
 * `x` `[B, T, D]` at real steps, exact zeros at padded ones (`padding` `[B, T]`,
 * 1 real, 0 padding). `tf.where`, as in `maskEmbedding`, so whatever the
 * padded steps hold (NaN included) cannot reach the output or its gradient.
 */
export function maskSteps(x: tf.Tensor, padding: tf.Tensor2D): tf.Tensor {
  const condition = tf.broadcastTo(tf.expandDims(tf.greater(padding, 0.5), 2), x.shape);
  return tf.where(condition, x, tf.zerosLike(x));
}

/** Flattens `[B, ...]` to `[B, D]`. */
export function flatten2d(x: tf.Tensor): tf.Tensor2D {
  return tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
}

/** `x @ kernel + bias` over the last axis, for `[B, D]` or `[B, T, D]` inputs. */
export function linear(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const inDim = x.shape[x.rank - 1]!;
  const outDim = kernel.shape[1]!;
  const flat = x.rank === 2 ? x : tf.reshape(x, [-1, inDim]);
  let y: tf.Tensor = tf.matMul(flat as tf.Tensor2D, kernel as tf.Tensor2D);
  if (bias) y = tf.add(y, bias);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), outDim]);
}

/**
 * Softmax over axis 1 of `logits` `[B, n, ...]` restricted to the entries
 * where `present` `[B, n]` is 1; absent entries get weight exactly 0. A sample
 * with nothing present gets all-zero weights (never NaN).
 */
export function maskedSoftmax(logits: tf.Tensor, present: tf.Tensor): tf.Tensor {
  const shape = [...present.shape, ...logits.shape.slice(2).map(() => 1)];
  const p = tf.reshape(present, shape);
  const safeLogits = tf.where(tf.broadcastTo(tf.greater(p, 0.5), logits.shape), logits, tf.fill(logits.shape, -1e9));
  // tf.softmax works on the last axis: move axis 1 there and back. (tf.max would be
  // simpler but its forward op is not differentiable on every backend's tape.)
  const perm = logits.shape.map((_, i) => i);
  perm.splice(1, 1);
  perm.push(1);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  const weights = tf.mul(tf.transpose(tf.softmax(tf.transpose(safeLogits, perm)), inverse), p);
  return nonNegativeRatio(weights, tf.sum(weights, 1, true));
}

/** Applies a tfjs activation by name (`relu`, `tanh`, `linear`, ...). */
export function activate(x: tf.Tensor, activation: string): tf.Tensor {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
    case 'gelu':
      // tanh approximation, as in BERT / GPT-2.
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
    default:
      throw new Error(`Unknown activation '${activation}'.`);
  }
}

/** Activation names the fusion layers accept. */
export const activationNames = ['linear', 'relu', 'tanh', 'sigmoid', 'elu', 'gelu'] as const;

/** Layer normalisation over the last axis (Ba et al. 2016), epsilon 1e-5 as torch.nn.LayerNorm. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
}

/**
 * `a / b` for a non-negative denominator, 0 where `b` is 0. Like tf.divNoNan,
 * which is not differentiable (its forward pass uses Equal, which has no gradient).
 */
export function nonNegativeRatio(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.div(a, tf.maximum(b, 1e-12));
}
