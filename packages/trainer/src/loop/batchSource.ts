import type { Batch } from '@polyfuse/core';

/**
 * Where the trainer gets batches: @polyfuse/data's `DataLoader` fits this, as
 * does any object with a `batches(epoch, { skip })` method. The trainer
 * disposes each batch's tensors after using it.
 */
export interface BatchSource {
  /** Batches per epoch, for progress bars and step-based schedules. */
  readonly batchCount?: number;
  /** One epoch's batches, starting at batch `skip` (for resuming mid-epoch). Same epoch, same order. */
  batches(epoch: number, options?: { skip?: number }): AsyncIterable<Batch>;
}
