import type { tf } from '@polyfuse/core';
import { elementwiseLoss } from './elementwiseLoss.js';
import type { LossOutput, Reduction, ReductionOptions } from './reduction.js';

/**
 * Mean squared error, `(input - target)^2` per element, exactly
 * `torch.nn.functional.mse_loss` (torch 1.13): reduction `'mean'` (default)
 * averages over all elements, `'sum'` adds them, `'none'` keeps them.
 * `input` and `target` must have the same shape.
 */
export function mseLoss<R extends Reduction = 'mean'>(
  input: tf.Tensor,
  target: tf.Tensor,
  options: ReductionOptions<R> = {},
): LossOutput<R> {
  return elementwiseLoss('mseLoss', input, target, options.reduction, (d) => d.square());
}
