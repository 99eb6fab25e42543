import type { tf } from '@polyfuse/core';
import { classLogProbLoss, type ClassLossOptions } from './classLogProbLoss.js';
import { checkReduction, reductions, type LossOutput, type Reduction } from './reduction.js';

/**
 * Negative log-likelihood of log-probabilities against integer class targets,
 * exactly `torch.nn.functional.nll_loss` (torch 1.13): `loss_i = -w_{y_i}
 * input[i, y_i]`; layout, `weight`, `ignoreIndex = -100` and reduction
 * (`'mean'` = weighted mean over non-ignored targets) as in crossEntropyLoss,
 * which is nllLoss of a log-softmax.
 */
export function nllLoss<R extends Reduction = 'mean'>(
  input: tf.Tensor,
  target: tf.Tensor,
  options: ClassLossOptions<R> = {},
): LossOutput<R> {
  const mode = checkReduction(options.reduction ?? 'mean', reductions, 'nllLoss: options.reduction');
  return classLogProbLoss('nllLoss', input, target, options, mode, (classLast) => classLast, 0) as LossOutput<R>;
}
