import { tf } from '@polyfuse/core';
import { checkBroadcastsTo, checkFloat, checkNonNegative, checkSameShape, checkTensor, toFloatTensor, type TensorLike } from '../validation/checks.js';
import { checkReduction, reduce, reductions, type LossOutput, type Reduction, type ReductionOptions } from './reduction.js';

export interface BceWithLogitsLossOptions<R extends Reduction = Reduction> extends ReductionOptions<R> {
  /** Per-element rescaling weight, broadcast to `input`'s shape; non-negative. */
  weight?: TensorLike;
  /** Weight of positive examples per class, broadcast along the last axis (`[C]`); non-negative. */
  posWeight?: TensorLike;
}

/**
 * Binary cross-entropy on logits, exactly
 * `torch.nn.functional.binary_cross_entropy_with_logits` (torch 1.13):
 * `-weight [posWeight y log σ(x) + (1 - y) log(1 - σ(x))]` per element,
 * computed in torch's stable form
 * `(1 - y) x + (1 + (posWeight - 1) y) (log1p(exp(-|x|)) + max(-x, 0))`,
 * so logits of any magnitude give finite values and gradients. Targets may be
 * soft (any value in [0, 1]). Reduction `'mean'` by default.
 */
export function bceWithLogitsLoss<R extends Reduction = 'mean'>(
  input: tf.Tensor,
  target: tf.Tensor,
  options: BceWithLogitsLossOptions<R> = {},
): LossOutput<R> {
  checkTensor(input, 'bceWithLogitsLoss: input');
  checkTensor(target, 'bceWithLogitsLoss: target');
  checkFloat(input, 'bceWithLogitsLoss: input');
  checkSameShape(input, 'bceWithLogitsLoss: input', target, 'bceWithLogitsLoss: target');
  const mode = checkReduction(options.reduction ?? 'mean', reductions, 'bceWithLogitsLoss: options.reduction');
  let weight: { tensor: tf.Tensor; owned: boolean } | undefined;
  let posWeight: { tensor: tf.Tensor; owned: boolean } | undefined;
  try {
    if (options.weight !== undefined) weight = toFloatTensor(options.weight, 'bceWithLogitsLoss: options.weight');
    if (options.posWeight !== undefined) posWeight = toFloatTensor(options.posWeight, 'bceWithLogitsLoss: options.posWeight');
    if (weight) {
      checkBroadcastsTo(weight.tensor, 'bceWithLogitsLoss: options.weight', input.shape, 'input');
      checkNonNegative(weight.tensor, 'bceWithLogitsLoss: options.weight');
    }
    if (posWeight) {
      checkBroadcastsTo(posWeight.tensor, 'bceWithLogitsLoss: options.posWeight', input.shape, 'input');
      checkNonNegative(posWeight.tensor, 'bceWithLogitsLoss: options.posWeight');
    }
    return tf.tidy(() => {
      const y = target.toFloat();
      const logSigmoidNegative = tf.log1p(tf.exp(input.abs().neg())).add(tf.relu(input.neg()));
      const logWeight = posWeight ? posWeight.tensor.sub(1).mul(y).add(1) : tf.scalar(1);
      let loss = tf.sub(1, y).mul(input).add(logWeight.mul(logSigmoidNegative));
      if (weight) loss = loss.mul(weight.tensor);
      return reduce(loss, mode);
    }) as LossOutput<R>;
  } finally {
    if (weight?.owned) weight.tensor.dispose();
    if (posWeight?.owned) posWeight.tensor.dispose();
  }
}
