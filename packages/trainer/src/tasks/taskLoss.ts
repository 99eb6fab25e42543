import { tf, InputError, outputKind } from '@polyfuse/core';
import type { LossTerm } from '../loop/lossTerm.js';

/** A registry loss: `(prediction, target, ...rest)`, e.g. from `registry.create('loss', ...)`. */
export type RegistryLoss = (prediction: tf.Tensor, target: tf.Tensor, ...rest: tf.Tensor[]) => tf.Scalar;

/**
 * Fits a registry loss to the outputs a term reads, by their kind:
 * - `tokens_<head>` (teacher-forced logits `[B, L-1, V]`): scored against
 *   `target[:, 1:]`, the next token at every step;
 * - `values_<head>` (`[B, K]`): reshaped to the target's shape (a scalar
 *   regression target is `[B]`);
 * - two `embedding_*` outputs (and `logit_scale` when the model learns the
 *   temperature): `loss(a, b, scale, groups)` with the `match` target's
 *   group ids, so rows of the same group are positives of each other;
 * - anything else: `loss(prediction, target)`.
 */
export function taskLoss(loss: RegistryLoss, outputs: string[]): LossTerm['loss'] {
  const kinds = outputs.map(outputKind);
  if (outputs.length > 1) {
    const embeddings = outputs.filter((_, i) => kinds[i] === 'embedding');
    const scaleIndex = kinds.indexOf('scale');
    if (embeddings.length !== 2 || outputs.length !== 2 + (scaleIndex >= 0 ? 1 : 0)) {
      throw new InputError(`A loss on several outputs reads two embedding_<modality> outputs (and optionally logit_scale), got ${outputs.join(', ')}.`);
    }
    const [first, second] = [outputs.indexOf(embeddings[0]!), outputs.indexOf(embeddings[1]!)];
    return (prediction, target) => {
      const list = prediction as tf.Tensor[];
      return tf.tidy(() => {
        const scale = scaleIndex >= 0 ? tf.mean(list[scaleIndex]!) : undefined;
        return scale ? loss(list[first]!, list[second]!, scale, target) : loss(list[first]!, list[second]!, undefined as unknown as tf.Tensor, target);
      });
    };
  }
  switch (kinds[0]) {
    case 'tokens':
      return (prediction, target) =>
        tf.tidy(() => {
          if (target.rank !== 2 || target.shape[1]! < 2) throw new InputError(`A decoder's loss needs a [B, L ≥ 2] token target, got [${target.shape}].`);
          return loss(prediction as tf.Tensor, target.slice([0, 1], [-1, target.shape[1]! - 1]));
        });
    case 'values':
      return (prediction, target) =>
        tf.tidy(() => {
          const p = prediction as tf.Tensor;
          return loss(p.size === target.size ? p.reshape(target.shape) : p, target.toFloat());
        });
    default:
      return (prediction, target) => loss(prediction as tf.Tensor, target);
  }
}
