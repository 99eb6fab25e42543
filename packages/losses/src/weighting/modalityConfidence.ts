import { tf, InputError, formatShape, auxiliaryOutputName } from '@polyfuse/core';
import { checkClassTargets } from '../validation/checks.js';

/**
 * The per-modality scores OGM-GE needs: for each modality, the sum over the
 * batch of the softmax probability its unimodal output `logits_<modality>`
 * ([B, C]) gives the true class (`target`, [B] class indices) — the `score_a`,
 * `score_v` of Peng et al. (CVPR 2022). Not differentiated; reads back B·C
 * numbers per modality.
 */
export function modalityConfidence(
  outputs: Record<string, tf.Tensor>,
  target: tf.Tensor,
  modalities: readonly string[],
): Record<string, number> {
  const scores: Record<string, number> = {};
  for (const modality of modalities) {
    const name = auxiliaryOutputName(modality);
    const logits = outputs[name];
    if (!logits) {
      throw new InputError(`modalityConfidence: outputs has no '${name}' (outputs are: ${Object.keys(outputs).join(', ')}).`);
    }
    if (logits.rank !== 2 || target.rank !== 1 || target.shape[0] !== logits.shape[0]) {
      throw new InputError(
        `modalityConfidence: expected ${name} [B, C] and target [B], got ${formatShape(logits.shape)} and ${formatShape(target.shape)}.`,
      );
    }
    const indices = checkClassTargets(target, 'modalityConfidence: target', logits.shape[1] as number, undefined);
    const score = tf.tidy(() =>
      tf.softmax(logits.toFloat(), -1).mul(tf.oneHot(indices, logits.shape[1] as number).toFloat()).sum(),
    );
    scores[modality] = score.dataSync()[0];
    score.dispose();
    if (indices !== target) indices.dispose();
  }
  return scores;
}
