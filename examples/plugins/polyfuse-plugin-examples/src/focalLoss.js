// loss/example-focal: softmax focal loss for single-label classification.
import * as tf from '@tensorflow/tfjs';

/** @typedef {(prediction: tf.Tensor, target: tf.Tensor) => tf.Scalar} LossFunction */
/** @typedef {import('@polyfuse/core').RegistryEntry<Record<string, unknown>, LossFunction>} LossEntry */

/**
 * Multi-class focal loss (Lin et al., "Focal Loss for Dense Object
 * Detection", ICCV 2017, eq. 5 with a softmax):
 * `FL_i = -α_{y_i} (1 - p_{i,y_i})^γ log p_{i,y_i}`, `p = softmax(logits)`,
 * averaged over samples (`mean`) or added (`sum`); `α` defaults to 1 for
 * every class. Equals kornia 0.7's `focal_loss(..., alpha=1.0)` and, with
 * `γ = 0` and no `alpha`, torch's `cross_entropy`. Well-classified samples
 * (p near 1) are down-weighted, so training concentrates on hard ones.
 *
 * @param {tf.Tensor} logits `[B, C]`
 * @param {tf.Tensor} target `[B]` class indices
 * @param {{ gamma?: number, alpha?: number[], reduction?: 'mean' | 'sum' }} [options]
 * @returns {tf.Scalar}
 */
export function focalLoss(logits, target, options = {}) {
  const { gamma = 2, alpha, reduction = 'mean' } = options;
  return tf.tidy(() => {
    const classes = logits.shape[logits.rank - 1];
    if (logits.rank !== 2 || target.rank !== 1 || target.shape[0] !== logits.shape[0]) {
      throw new Error(`loss/example-focal: expected logits [B, C] and class indices [B], got [${logits.shape}] and [${target.shape}].`);
    }
    if (alpha && alpha.length !== classes) throw new Error(`loss/example-focal.alpha must have one weight per class (${classes}), got ${alpha.length}.`);
    const oneHot = tf.oneHot(tf.cast(target, 'int32'), classes);
    const logPt = tf.sum(tf.mul(tf.logSoftmax(logits, -1), oneHot), -1);
    // (1 - p)^γ's gradient is γ (1 - p)^(γ-1), infinite at p = 1 when γ < 1: keep 1 - p away from 0 (and skip pow for γ = 0).
    const modulation = gamma === 0 ? tf.onesLike(logPt) : tf.pow(tf.maximum(tf.sub(1, tf.exp(logPt)), 1e-12), gamma);
    let loss = tf.mul(modulation, tf.neg(logPt));
    if (alpha) loss = tf.mul(loss, tf.sum(tf.mul(oneHot, tf.tensor1d(alpha)), -1));
    return reduction === 'sum' ? tf.sum(loss) : tf.mean(loss);
  });
}

/** @type {LossEntry} */
export const focalLossEntry = {
  kind: 'loss',
  name: 'example-focal',
  description: 'Softmax focal loss for class targets (Lin et al. 2017); gamma 0 is cross-entropy.',
  schema: {
    gamma: { type: 'number', default: 2, min: 0, description: 'Focusing parameter γ; 0 gives cross-entropy.' },
    alpha: { type: 'number[]', description: 'Weight per class α_c (default 1 for every class).' },
    reduction: { type: 'string', enum: ['mean', 'sum'], default: 'mean', description: 'Average or add the per-sample losses.' },
  },
  create: (config) => (prediction, target) => focalLoss(prediction, target, /** @type {any} */ (config)),
};
