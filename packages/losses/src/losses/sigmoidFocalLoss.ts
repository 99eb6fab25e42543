import { tf } from '@polyfuse/core';
import { checkFiniteNumber } from '../validation/checks.js';
import { bceWithLogitsLoss } from './bceWithLogitsLoss.js';
import { checkReduction, reduce, reductions, type LossOutput, type Reduction } from './reduction.js';

export interface SigmoidFocalLossOptions<R extends Reduction = Reduction> {
  /** Weight of positives in [0, 1] (negatives get 1 − alpha); a negative value disables it. Default 0.25. */
  alpha?: number;
  /** Focusing exponent on (1 − p_t); >= 0, default 2. */
  gamma?: number;
  /** Default `'none'`, as in torchvision. */
  reduction?: R;
}

/**
 * Sigmoid focal loss (Lin et al. 2017), exactly
 * `torchvision.ops.sigmoid_focal_loss` (torchvision 0.14):
 * `p = σ(x)`, `p_t = p y + (1 − p)(1 − y)`,
 * `loss = α_t · BCEWithLogits(x, y) · (1 − p_t)^γ` with
 * `α_t = α y + (1 − α)(1 − y)` when `α >= 0`. Defaults: `alpha = 0.25`,
 * `gamma = 2`, reduction `'none'` (torchvision's default, unlike the other
 * losses). The cross-entropy part is the stable form, so logits of magnitude
 * 100 stay finite; for `gamma < 1`, `1 − p_t` is clamped at 1e-12 so that
 * saturated logits keep a finite gradient (torch gives NaN there).
 */
export function sigmoidFocalLoss<R extends Reduction = 'none'>(
  inputs: tf.Tensor,
  targets: tf.Tensor,
  options: SigmoidFocalLossOptions<R> = {},
): LossOutput<R> {
  const alpha = checkFiniteNumber(options.alpha ?? 0.25, 'sigmoidFocalLoss: options.alpha', { max: 1 });
  const gamma = checkFiniteNumber(options.gamma ?? 2, 'sigmoidFocalLoss: options.gamma', { min: 0 });
  const mode = checkReduction(options.reduction ?? 'none', reductions, 'sigmoidFocalLoss: options.reduction');
  return tf.tidy(() => {
    const crossEntropy = bceWithLogitsLoss(inputs, targets, { reduction: 'none' });
    const y = targets.toFloat();
    const p = tf.sigmoid(inputs);
    const pT = p.mul(y).add(tf.sub(1, p).mul(tf.sub(1, y)));
    // gamma = 0 is skipped rather than computed: d/dx x^0 at x = 0 is 0·0^-1 = NaN in tfjs.
    // For gamma < 1, d/dx x^gamma is infinite at x = 0 (a saturated, correct logit):
    // clamping 1 − p_t at 1e-12 keeps the gradient finite and changes the loss by
    // less than 1e-12^gamma · BCE, where BCE is itself ~0.
    const oneMinusPT = gamma < 1 ? tf.maximum(tf.sub(1, pT), 1e-12) : tf.sub(1, pT);
    let loss = gamma === 0 ? crossEntropy : crossEntropy.mul(oneMinusPT.pow(gamma));
    if (alpha >= 0) loss = loss.mul(y.mul(alpha).add(tf.sub(1, y).mul(1 - alpha)));
    return reduce(loss, mode);
  }) as LossOutput<R>;
}
