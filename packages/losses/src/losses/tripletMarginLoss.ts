import { tf } from '@polyfuse/core';
import { checkFiniteNumber, checkFloat, checkRank, checkSameShape, checkTensor } from '../validation/checks.js';
import { checkReduction, reduce, reductions, type LossOutput, type Reduction, type ReductionOptions } from './reduction.js';

export interface TripletMarginLossOptions<R extends Reduction = Reduction> extends ReductionOptions<R> {
  /** Required gap between the negative and positive distances; > 0, default 1. */
  margin?: number;
  /** Norm degree of the pairwise distance; > 0, default 2. */
  p?: number;
  /** Added to the difference before the norm, as torch's pairwise_distance does; default 1e-6. */
  eps?: number;
  /** Use the positive–negative distance when it is smaller (Balntas et al. 2016); default false. */
  swap?: boolean;
}

/**
 * Triplet margin loss, exactly `torch.nn.functional.triplet_margin_loss`
 * (torch 1.13): `max(0, margin + d(a, p) − d(a, n))` with
 * `d(x, y) = ‖x − y + eps‖_p` over the last axis (torch's
 * `pairwise_distance`), and with `swap`, `d(a, n)` replaced by
 * `min(d(a, n), d(p, n))`. Inputs `[N, D]` (or `[D]`). Defaults: `margin = 1`,
 * `p = 2`, `eps = 1e-6`, `swap = false`, reduction `'mean'`.
 */
export function tripletMarginLoss<R extends Reduction = 'mean'>(
  anchor: tf.Tensor,
  positive: tf.Tensor,
  negative: tf.Tensor,
  options: TripletMarginLossOptions<R> = {},
): LossOutput<R> {
  for (const [name, x] of [['anchor', anchor], ['positive', positive], ['negative', negative]] as const) {
    checkTensor(x, `tripletMarginLoss: ${name}`);
    checkFloat(x, `tripletMarginLoss: ${name}`);
  }
  checkRank(anchor, 'tripletMarginLoss: anchor', [1, 2], '[N, D] or [D]');
  checkSameShape(anchor, 'tripletMarginLoss: anchor', positive, 'tripletMarginLoss: positive');
  checkSameShape(anchor, 'tripletMarginLoss: anchor', negative, 'tripletMarginLoss: negative');
  const margin = checkFiniteNumber(options.margin ?? 1, 'tripletMarginLoss: options.margin', { exclusiveMin: 0 });
  const p = checkFiniteNumber(options.p ?? 2, 'tripletMarginLoss: options.p', { exclusiveMin: 0 });
  const eps = checkFiniteNumber(options.eps ?? 1e-6, 'tripletMarginLoss: options.eps', { min: 0 });
  const mode = checkReduction(options.reduction ?? 'mean', reductions, 'tripletMarginLoss: options.reduction');
  return tf.tidy(() => {
    const distance = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => pNorm(x.sub(y).add(eps), p);
    const positiveDistance = distance(anchor, positive);
    let negativeDistance = distance(anchor, negative);
    if (options.swap) negativeDistance = tf.minimum(negativeDistance, distance(positive, negative));
    return reduce(tf.relu(positiveDistance.sub(negativeDistance).add(margin)), mode);
  }) as LossOutput<R>;
}

/** `(Σ |x|^p)^(1/p)` over the last axis. */
function pNorm(x: tf.Tensor, p: number): tf.Tensor {
  if (p === 1) return x.abs().sum(-1);
  if (p === 2) return x.square().sum(-1).sqrt();
  return x.abs().pow(p).sum(-1).pow(1 / p);
}
