import { tf, InputError, formatShape } from '@polyfuse/core';
import { checkFiniteNumber, checkFloat, checkRank, checkSameShape, checkTensor } from '../validation/checks.js';
import { checkReduction, reduce, reductions, type LossOutput, type Reduction, type ReductionOptions } from './reduction.js';

export interface CosineEmbeddingLossOptions<R extends Reduction = Reduction> extends ReductionOptions<R> {
  /** Margin for dissimilar pairs, in [-1, 1]; default 0. */
  margin?: number;
}

/** torch's EPSILON in cosine_embedding_loss: keeps zero vectors finite. */
const epsilon = 1e-12;

/**
 * Cosine embedding loss, exactly `torch.nn.functional.cosine_embedding_loss`
 * (torch 1.13): with `cos = Σ x1 x2 / sqrt((Σ x1² + 1e-12)(Σ x2² + 1e-12))`
 * over the last axis, the loss is `1 − cos` where `y = 1` and
 * `max(0, cos − margin)` where `y = −1`. `x1`, `x2` are `[N, D]` (or `[D]`),
 * `y` is `[N]` (or `[]`) of ±1; any other label is an error (torch silently
 * gives 0). Defaults: `margin = 0`, reduction `'mean'`.
 */
export function cosineEmbeddingLoss<R extends Reduction = 'mean'>(
  x1: tf.Tensor,
  x2: tf.Tensor,
  y: tf.Tensor,
  options: CosineEmbeddingLossOptions<R> = {},
): LossOutput<R> {
  checkTensor(x1, 'cosineEmbeddingLoss: x1');
  checkTensor(x2, 'cosineEmbeddingLoss: x2');
  checkTensor(y, 'cosineEmbeddingLoss: y');
  checkFloat(x1, 'cosineEmbeddingLoss: x1');
  checkFloat(x2, 'cosineEmbeddingLoss: x2');
  checkRank(x1, 'cosineEmbeddingLoss: x1', [1, 2], '[N, D] or [D]');
  checkSameShape(x1, 'cosineEmbeddingLoss: x1', x2, 'cosineEmbeddingLoss: x2');
  const expected = x1.shape.slice(0, -1);
  if (!tf.util.arraysEqual(y.shape, expected)) {
    throw new InputError(`cosineEmbeddingLoss: y must have shape ${formatShape(expected)}, got ${formatShape(y.shape)}.`);
  }
  const labels = y.dataSync();
  labels.forEach((v, i) => {
    if (v !== 1 && v !== -1) throw new InputError(`cosineEmbeddingLoss: y must hold 1 or -1, got ${v} at index ${i}.`);
  });
  const margin = checkFiniteNumber(options.margin ?? 0, 'cosineEmbeddingLoss: options.margin', { min: -1, max: 1 });
  const mode = checkReduction(options.reduction ?? 'mean', reductions, 'cosineEmbeddingLoss: options.reduction');
  return tf.tidy(() => {
    const product = x1.mul(x2).sum(-1);
    const magnitude1 = x1.square().sum(-1).add(epsilon);
    const magnitude2 = x2.square().sum(-1).add(epsilon);
    const cos = product.div(magnitude1.mul(magnitude2).sqrt());
    const positive = y.toFloat().equal(1);
    const loss = tf.where(positive, tf.sub(1, cos), tf.relu(cos.sub(margin)));
    return reduce(loss, mode);
  }) as LossOutput<R>;
}
