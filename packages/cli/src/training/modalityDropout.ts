import { modalityDropout } from '@polyfuse/fusion';
import type { ModalityDropout } from '@polyfuse/trainer';

/**
 * The trainer's ModalityDropout hook for `training.modalityDropout: rate`:
 * @polyfuse/fusion's `modalityDropout` (the one implementation: each present
 * modality of each sample dropped with probability `rate`, a sample never
 * loses all of them) drawing from the step's seeded generator.
 */
export function randomModalityDropout(rate: number): ModalityDropout {
  return (masks, { rng }) => modalityDropout(masks, { rates: rate, random: rng });
}
