import { tf, InputError } from '@polyfuse/core';
import { checkFloat, checkSameShape, checkTensor } from '../validation/checks.js';
import { checkReduction, type LossOutput } from './reduction.js';

/** KL divergence reductions: torch's `'batchmean'` is the mathematically correct KL per sample. */
export type KlDivReduction = 'batchmean' | 'sum' | 'mean' | 'none';

export interface KlDivLossOptions<R extends KlDivReduction = KlDivReduction> {
  /** `'batchmean'` (sum / batch size), `'sum'`, `'mean'` (over all elements) or `'none'`; default `'mean'` as in torch. */
  reduction?: R;
  /** Whether `target` holds log-probabilities; default false. */
  logTarget?: boolean;
}

/**
 * KL divergence `KL(target || exp(input))` with `input` holding
 * log-probabilities, exactly `torch.nn.functional.kl_div` (torch 1.13):
 * per element `target · (log target − input)` with `0 · log 0 = 0` (torch's
 * xlogy), or `exp(target) · (target − input)` when `logTarget`. Reduction
 * `'mean'` (torch's default) averages over every element; `'batchmean'`
 * divides the sum by `input.shape[0]`, which is the true KL per sample.
 */
export function klDivLoss<R extends KlDivReduction = 'mean'>(
  input: tf.Tensor,
  target: tf.Tensor,
  options: KlDivLossOptions<R> = {},
): LossOutput<R> {
  checkTensor(input, 'klDivLoss: input');
  checkTensor(target, 'klDivLoss: target');
  checkFloat(input, 'klDivLoss: input');
  checkFloat(target, 'klDivLoss: target');
  checkSameShape(input, 'klDivLoss: input', target, 'klDivLoss: target');
  const mode = checkReduction(options.reduction ?? 'mean', ['batchmean', 'sum', 'mean', 'none'] as const, 'klDivLoss: options.reduction');
  if (mode === 'batchmean' && input.rank === 0) {
    throw new InputError('klDivLoss: reduction "batchmean" needs an input with a batch axis, got a scalar.');
  }
  return tf.tidy(() => {
    let pointwise: tf.Tensor;
    if (options.logTarget) {
      pointwise = tf.exp(target).mul(target.sub(input));
    } else {
      // xlogy(t, t): guard the log so that t = 0 gives 0 and a finite gradient.
      const positive = target.greater(0);
      const safeTarget = tf.where(positive, target, tf.onesLike(target));
      const targetLogTarget = tf.where(positive, target.mul(safeTarget.log()), tf.zerosLike(target));
      pointwise = targetLogTarget.sub(target.mul(input));
    }
    switch (mode) {
      case 'none':
        return pointwise;
      case 'sum':
        return pointwise.sum();
      case 'mean':
        return pointwise.mean();
      case 'batchmean':
        return pointwise.sum().div(input.shape[0]);
    }
  }) as LossOutput<R>;
}
