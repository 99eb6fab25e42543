import type { tf } from '@polyfuse/core';
import { elementwiseLoss } from './elementwiseLoss.js';
import type { LossOutput, Reduction, ReductionOptions } from './reduction.js';

/**
 * Mean absolute error, `|input - target|` per element, exactly
 * `torch.nn.functional.l1_loss` (torch 1.13), reduction `'mean'` by default.
 * The gradient at a zero difference is 0, as in torch (sign(0) = 0).
 */
export function l1Loss<R extends Reduction = 'mean'>(
  input: tf.Tensor,
  target: tf.Tensor,
  options: ReductionOptions<R> = {},
): LossOutput<R> {
  return elementwiseLoss('l1Loss', input, target, options.reduction, (d) => d.abs());
}
