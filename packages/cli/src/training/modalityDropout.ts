import { tf } from '@polyfuse/core';
import type { ModalityDropout } from '@polyfuse/trainer';

/**
 * A trainer ModalityDropout hook: each present modality of each training
 * sample is dropped (mask set to 0) with probability `rate`, drawing from the
 * step's seeded generator; a sample never loses all of its modalities (one
 * of those it had is kept at random).
 */
export function randomModalityDropout(rate: number): ModalityDropout {
  return (masks, { rng }) => {
    const modalities = Object.keys(masks);
    const values = modalities.map((m) => Array.from(masks[m].dataSync()));
    const size = values[0]?.length ?? 0;
    for (let i = 0; i < size; i++) {
      const present = modalities.map((_, k) => k).filter((k) => values[k][i] > 0);
      const dropped = present.filter(() => rng.next() < rate);
      if (dropped.length === present.length && present.length > 0) dropped.splice(rng.int(dropped.length), 1);
      for (const k of dropped) values[k][i] = 0;
    }
    return Object.fromEntries(modalities.map((m, k) => [m, tf.tensor1d(values[k])]));
  };
}
