import { tf } from '@polyfuse/core';
import { checkFiniteNumber } from '../validation/checks.js';
import { elementwiseLoss } from './elementwiseLoss.js';
import type { LossOutput, Reduction, ReductionOptions } from './reduction.js';

export interface HuberLossOptions<R extends Reduction = Reduction> extends ReductionOptions<R> {
  /** Where the loss turns from quadratic to linear; > 0, default 1. */
  delta?: number;
}

/**
 * Huber loss, exactly `torch.nn.functional.huber_loss` (torch 1.13): with
 * `d = input - target`, `0.5 d^2` where `|d| < delta`, else
 * `delta (|d| - 0.5 delta)`. Defaults: `delta = 1`, reduction `'mean'`.
 */
export function huberLoss<R extends Reduction = 'mean'>(
  input: tf.Tensor,
  target: tf.Tensor,
  options: HuberLossOptions<R> = {},
): LossOutput<R> {
  const delta = checkFiniteNumber(options.delta ?? 1, 'huberLoss: options.delta', { exclusiveMin: 0 });
  return elementwiseLoss('huberLoss', input, target, options.reduction, (d) => {
    // 0.5 m^2 + delta (|d| - m) with m = min(|d|, delta): the two branches without a
    // comparison on the tape (tfjs has no gradient for Less).
    const absolute = d.abs();
    const clipped = tf.minimum(absolute, delta);
    return clipped.square().mul(0.5).add(absolute.sub(clipped).mul(delta));
  });
}
