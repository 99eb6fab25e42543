import { tf } from '@polyfuse/core';
import { checkFloat, checkSameShape, checkTensor } from '../validation/checks.js';
import { checkReduction, reduce, reductions, type LossOutput, type Reduction } from './reduction.js';

/**
 * Shared shell of the element-wise regression losses: checks that `input` and
 * `target` are float tensors of one shape, applies `pointwise` and reduces.
 * (torch broadcasts mismatched shapes with only a warning; we refuse them,
 * since a [B, 1] vs [B] mix-up silently turns the loss into a B x B matrix.)
 */
export function elementwiseLoss<R extends Reduction>(
  lossName: string,
  input: tf.Tensor,
  target: tf.Tensor,
  reduction: R | undefined,
  pointwise: (difference: tf.Tensor) => tf.Tensor,
): LossOutput<R> {
  checkTensor(input, `${lossName}: input`);
  checkTensor(target, `${lossName}: target`);
  checkFloat(input, `${lossName}: input`);
  checkSameShape(input, `${lossName}: input`, target, `${lossName}: target`);
  const mode = checkReduction(reduction ?? 'mean', reductions, `${lossName}: options.reduction`);
  return tf.tidy(() => reduce(pointwise(tf.sub(input, target.toFloat())), mode)) as LossOutput<R>;
}
