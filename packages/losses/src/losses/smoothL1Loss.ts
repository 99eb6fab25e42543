import { tf } from '@polyfuse/core';
import { checkFiniteNumber } from '../validation/checks.js';
import { elementwiseLoss } from './elementwiseLoss.js';
import type { LossOutput, Reduction, ReductionOptions } from './reduction.js';

export interface SmoothL1LossOptions<R extends Reduction = Reduction> extends ReductionOptions<R> {
  /** Where the loss turns from quadratic to linear; >= 0, default 1. `0` gives the L1 loss. */
  beta?: number;
}

/**
 * Smooth L1 loss, exactly `torch.nn.functional.smooth_l1_loss` (torch 1.13):
 * with `d = input - target`, `0.5 d^2 / beta` where `|d| < beta`, else
 * `|d| - 0.5 beta`; `beta = 0` is the L1 loss. Equals `huberLoss / beta`
 * for `delta = beta`. Defaults: `beta = 1`, reduction `'mean'`.
 */
export function smoothL1Loss<R extends Reduction = 'mean'>(
  input: tf.Tensor,
  target: tf.Tensor,
  options: SmoothL1LossOptions<R> = {},
): LossOutput<R> {
  const beta = checkFiniteNumber(options.beta ?? 1, 'smoothL1Loss: options.beta', { min: 0 });
  return elementwiseLoss('smoothL1Loss', input, target, options.reduction, (d) => {
    const absolute = d.abs();
    if (beta === 0) return absolute;
    // Huber's branch-free form divided by beta: tfjs has no gradient for Less.
    const clipped = tf.minimum(absolute, beta);
    return clipped.square().mul(0.5 / beta).add(absolute.sub(clipped));
  });
}
