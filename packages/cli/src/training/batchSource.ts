import { SeededRandom, deriveSeed } from '@polyfuse/core';
import type { BatchSource } from '@polyfuse/trainer';
import type { ProcessedSample } from '../data/processSamples.js';
import { makeBatch, type InputSpecs } from '../data/makeBatch.js';

/**
 * A @polyfuse/trainer BatchSource over preprocessed samples. With `shuffle`,
 * epoch `e` visits the samples in the order of a generator seeded with
 * (seed, e), so an epoch's order never depends on earlier epochs and a resumed
 * run can skip the batches it already did.
 */
export function sampleBatchSource(samples: ProcessedSample[], specs: InputSpecs, options: { batchSize: number; shuffle: boolean; seed: number }): BatchSource {
  const batchCount = Math.ceil(samples.length / options.batchSize);
  return {
    batchCount,
    async *batches(epoch: number, { skip = 0 }: { skip?: number } = {}) {
      const order = samples.map((_, i) => i);
      if (options.shuffle) new SeededRandom(deriveSeed(options.seed, `epoch:${epoch}`)).shuffle(order);
      for (let b = skip; b < batchCount; b++) {
        yield makeBatch(order.slice(b * options.batchSize, (b + 1) * options.batchSize).map((i) => samples[i]), specs);
      }
    },
  };
}
