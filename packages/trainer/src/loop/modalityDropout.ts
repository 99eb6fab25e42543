import type { tf, SeededRandom } from '@polyfuse/core';

/**
 * A hook that changes a training batch's presence masks, e.g. to drop whole
 * modalities at random so the model learns to cope without them. The
 * trainer only defines the hook (it does not depend on @polyfuse/fusion);
 * the sampling is @polyfuse/fusion's `modalityDropout(masks, { rates,
 * random: rng })`, which @polyfuse/cli's `randomModalityDropout(rate)`
 * wraps as this hook. Called inside `tf.tidy` with a generator seeded by the
 * run's seed and step, so runs are reproducible. Return new masks (`[B]`,
 * 0/1); the inputs must not be disposed.
 */
export type ModalityDropout = (
  masks: Record<string, tf.Tensor>,
  context: { rng: SeededRandom; step: number; epoch: number; training: true },
) => Record<string, tf.Tensor>;
