import { tf, InputError, formatShape } from '@polyfuse/core';
import { checkFloat, checkRank, checkSameShape, checkTensor } from '../validation/checks.js';

/** torch.nn.functional.normalize's default eps. */
const normaliseEpsilon = 1e-12;

/**
 * CLIP's symmetric InfoNCE loss (Radford et al. 2021): `a` and `b` are
 * `[N, D]` embeddings of N matching pairs (row i of `a` matches row i of `b`).
 * Both are L2-normalised (`x / max(‖x‖, 1e-12)`, as `F.normalize`), the
 * logits are `logitScale · a bᵀ`, and the loss is the mean of the
 * cross-entropy over rows (a→b) and over columns (b→a) with the diagonal as
 * the target — the same as CLIP's reference training code. `logitScale`
 * (= 1 / temperature) is a scalar tensor, so the loss is differentiable with
 * respect to `a`, `b` and `logitScale`; use LearnableLogitScale for CLIP's
 * learnable, clamped temperature.
 */
export function clipContrastiveLoss(a: tf.Tensor, b: tf.Tensor, logitScale: tf.Tensor | number): tf.Scalar {
  checkTensor(a, 'clipContrastiveLoss: a');
  checkTensor(b, 'clipContrastiveLoss: b');
  checkFloat(a, 'clipContrastiveLoss: a');
  checkFloat(b, 'clipContrastiveLoss: b');
  checkRank(a, 'clipContrastiveLoss: a', [2], '[N, D]');
  checkSameShape(a, 'clipContrastiveLoss: a', b, 'clipContrastiveLoss: b');
  if (a.shape[0] < 1) throw new InputError('clipContrastiveLoss: a must hold at least one pair, got shape [0, D].');
  if (typeof logitScale === 'number') {
    if (!Number.isFinite(logitScale)) throw new InputError(`clipContrastiveLoss: logitScale must be finite, got ${logitScale}.`);
  } else {
    checkTensor(logitScale, 'clipContrastiveLoss: logitScale');
    if (logitScale.size !== 1) {
      throw new InputError(`clipContrastiveLoss: logitScale must be a scalar tensor, got shape ${formatShape(logitScale.shape)}.`);
    }
  }
  return tf.tidy(() => {
    const n = a.shape[0];
    const normalise = (x: tf.Tensor) => x.div(tf.maximum(x.square().sum(-1, true).sqrt(), normaliseEpsilon));
    const scale = typeof logitScale === 'number' ? tf.scalar(logitScale) : logitScale.toFloat().reshape([]);
    const logits = tf.matMul(normalise(a), normalise(b), false, true).mul(scale);
    const diagonal = tf.oneHot(tf.range(0, n, 1, 'int32'), n).toFloat();
    const rowLoss = tf.logSoftmax(logits, 1).mul(diagonal).sum().neg().div(n);
    const columnLoss = tf.logSoftmax(logits.transpose(), 1).mul(diagonal).sum().neg().div(n);
    return rowLoss.add(columnLoss).div(2) as tf.Scalar;
  });
}
