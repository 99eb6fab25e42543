import type { tf } from '@polyfuse/core';

/**
 * A metric the trainer updates batch by batch during validation and reads at
 * the end of the epoch (torchmetrics' update/compute/reset).
 */
export interface TrainingMetric {
  readonly name: string;
  /** For choosing the best checkpoint and early stopping. */
  readonly higherIsBetter: boolean;
  /** Model output it reads (`logits` by default). */
  readonly output: string;
  /** Target it compares against (`label` by default). */
  readonly target: string;
  /** Adds one batch: the model's output and the target tensor. Must not dispose them. */
  update(prediction: tf.Tensor, target: tf.Tensor): void;
  compute(): number;
  reset(): void;
}
