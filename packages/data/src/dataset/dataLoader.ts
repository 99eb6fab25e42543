import type { Batch } from '@polyfuse/core';

/** A batch with its position in the epoch. */
export interface LoadedBatch extends Batch {
  /** 0-based batch index within the epoch (stable across runs with the same seed). */
  index: number;
}

/**
 * An epoch-wise source of batches, as @polyfuse/trainer consumes it. The
 * caller owns (and disposes) the tensors of each batch it receives.
 */
export interface DataLoader {
  /** Samples in the split (before bad samples found while decoding are skipped). */
  readonly size: number;
  /** Batches per epoch. */
  readonly batchCount: number;
  readonly batchSize: number;
  /**
   * The batches of one epoch. Order is a seeded shuffle of the epoch number
   * when shuffling; `skip` starts at that batch (for resuming mid-epoch).
   */
  batches(epoch: number, options?: { skip?: number }): AsyncIterable<LoadedBatch>;
}

export interface LoaderOptions {
  batchSize: number;
  /** Shuffle each epoch (seeded by the dataset seed and the epoch). Default false. */
  shuffle?: boolean;
  /** Drop the last incomplete batch. Default false. */
  dropLast?: boolean;
  /** Pass `training: true` to preprocessors (random augmentation, never cached). Default false. */
  augment?: boolean;
  /** Overrides the dataset's seed for this loader's shuffling and augmentation. */
  seed?: number;
}
