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
 *
 * `groups` (int `[N]`, optional) says which rows are positives of each other:
 * rows i and j match when `groups[i] == groups[j]` (several captions of one
 * image). The target of each row is then the uniform distribution over its
 * positives instead of the diagonal (the multi-positive form of InfoNCE used
 * by ALBEF-style soft targets); with all groups distinct it is exactly CLIP's loss.
 */
export function clipContrastiveLoss(a: tf.Tensor, b: tf.Tensor, logitScale: tf.Tensor | number, groups?: tf.Tensor): tf.Scalar {
  checkTensor(a, 'clipContrastiveLoss: a');
  checkTensor(b, 'clipContrastiveLoss: b');
  checkFloat(a, 'clipContrastiveLoss: a');
  checkFloat(b, 'clipContrastiveLoss: b');
  checkRank(a, 'clipContrastiveLoss: a', [2], '[N, D]');
  checkSameShape(a, 'clipContrastiveLoss: a', b, 'clipContrastiveLoss: b');
  if (a.shape[0] < 1) throw new InputError('clipContrastiveLoss: a must hold at least one pair, got shape [0, D].');
  if (groups && (groups.rank !== 1 || groups.shape[0] !== a.shape[0])) {
    throw new InputError(`clipContrastiveLoss: groups must have shape [${a.shape[0]}] (one group id per pair), got ${formatShape(groups.shape)}.`);
  }
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
    let targets = tf.oneHot(tf.range(0, n, 1, 'int32'), n).toFloat();
    if (groups) {
      const g = groups.toFloat().reshape([n]);
      const positives = tf.equal(g.reshape([n, 1]), g.reshape([1, n])).toFloat();
      targets = positives.div(positives.sum(1, true));
    }
    // positives are symmetric, so the column direction's targets are the same matrix.
    const rowLoss = tf.logSoftmax(logits, 1).mul(targets).sum().neg().div(n);
    const columnLoss = tf.logSoftmax(logits.transpose(), 1).mul(targets).sum().neg().div(n);
    return rowLoss.add(columnLoss).div(2) as tf.Scalar;
  });
}
