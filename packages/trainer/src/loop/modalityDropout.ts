import type { tf, SeededRandom } from '@polyfuse/core';

/**
 * A hook that changes a training batch's presence masks, e.g. to drop whole
 * modalities at random so the model learns to cope without them
 * (@polyfuse/fusion provides one). Called inside `tf.tidy` with a generator
 * seeded by the run's seed and step, so runs are reproducible. Return new
 * masks (`[B]`, 0/1); the inputs must not be disposed.
 */
export type ModalityDropout = (
  masks: Record<string, tf.Tensor>,
  context: { rng: SeededRandom; step: number; epoch: number; training: true },
) => Record<string, tf.Tensor>;
