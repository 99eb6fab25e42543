import { tf, InputError, formatShape } from '@polyfuse/core';
import { checkClassTargets, checkFiniteNumber, checkFloat, checkRank, checkTensor } from '../validation/checks.js';

export interface SequenceCrossEntropyOptions {
  /** Token id of padding; those positions are ignored. Default 0. */
  padId?: number;
  /** Label smoothing ε in [0, 1], as crossEntropyLoss; default 0. */
  labelSmoothing?: number;
}

/**
 * Token-level cross-entropy for captioning and other sequence outputs:
 * `logits` `[B, T, V]` (vocabulary last, as decoders produce it), `targets`
 * `[B, T]` token ids; the loss is averaged over the tokens that are not
 * `padId`. Equals torch's
 * `F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), ignore_index=padId, label_smoothing=ε)`,
 * except that a batch made only of padding gives 0 (torch gives NaN), so
 * one empty batch does not poison training.
 */
export function sequenceCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  options: SequenceCrossEntropyOptions = {},
): tf.Scalar {
  checkTensor(logits, 'sequenceCrossEntropy: logits');
  checkTensor(targets, 'sequenceCrossEntropy: targets');
  checkFloat(logits, 'sequenceCrossEntropy: logits');
  checkRank(logits, 'sequenceCrossEntropy: logits', [3], '[B, T, V]');
  const expected = logits.shape.slice(0, 2);
  if (!tf.util.arraysEqual(targets.shape, expected)) {
    throw new InputError(`sequenceCrossEntropy: targets must have shape ${formatShape(expected)}, got ${formatShape(targets.shape)}.`);
  }
  const padId = options.padId ?? 0;
  if (!Number.isInteger(padId)) throw new InputError(`sequenceCrossEntropy: options.padId must be an integer, got ${padId}.`);
  const smoothing = checkFiniteNumber(options.labelSmoothing ?? 0, 'sequenceCrossEntropy: options.labelSmoothing', {
    min: 0,
    max: 1,
  });
  const vocabulary = logits.shape[2] as number;
  const ids = checkClassTargets(targets, 'sequenceCrossEntropy: targets', vocabulary, padId);
  try {
    return tf.tidy(() => {
      const logp = tf.logSoftmax(logits, -1);
      const valid = ids.notEqual(padId).toFloat();
      const safeIds = tf.where(ids.equal(padId), tf.zerosLike(ids), ids);
      const picked = tf.oneHot(safeIds.flatten(), vocabulary).toFloat().reshape(logits.shape);
      let perToken = picked.mul(logp).sum(-1).neg();
      if (smoothing > 0) {
        perToken = perToken.mul(1 - smoothing).add(logp.sum(-1).neg().mul(smoothing / vocabulary));
      }
      const count = valid.sum();
      return perToken.mul(valid).sum().div(tf.maximum(count, 1)) as tf.Scalar;
    });
  } finally {
    if (ids !== targets) ids.dispose();
  }
}
