import type { tf, Batch } from '@polyfuse/core';

/**
 * What a metric may read besides its one output and target: the whole batch
 * (ids, every target, `references` of sequence targets), every model output,
 * and the texts generated for a `tokens_<head>` output (greedy decoding,
 * computed once per batch and shared by every metric that asks).
 */
export interface MetricContext {
  batch: Batch;
  outputs: Record<string, tf.Tensor>;
  /** Decoded texts of a decoder output, one per sample; throws when the output is not a decoder's. */
  generated(output: string): string[];
}

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
  /**
   * Several outputs, for metrics that compare two of them (retrieval between
   * `embedding_image` and `embedding_text`). When set, `update` receives the
   * first as `prediction` and every one in `context.outputs`.
   */
  readonly outputs?: string[];
  /** Target it compares against (`label` by default). */
  readonly target: string;
  /** Adds one batch: the model's output and the target tensor. Must not dispose them. */
  update(prediction: tf.Tensor, target: tf.Tensor, context?: MetricContext): void;
  compute(): number;
  reset(): void;
}
