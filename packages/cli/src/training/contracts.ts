import type { tf } from '@polyfuse/core';

/** A loss: integer class targets `[B]` and logits `[B, C]` to a scalar mean loss. */
export type LossFunction = (targets: tf.Tensor, logits: tf.Tensor) => tf.Scalar;

/**
 * A weighting strategy turns the loss terms' history into one weight per term.
 * `update` is called after each epoch with that epoch's mean term losses.
 */
export interface WeightingStrategy {
  weights(): Record<string, number>;
  update(epochLosses: Record<string, number>): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** A classification metric on true and predicted class indices (and probabilities). */
export interface ClassificationMetric {
  /** Higher is better (for picking the best checkpoint and early stopping). */
  readonly higherIsBetter: boolean;
  compute(input: { yTrue: Int32Array; yPred: Int32Array; probabilities: Float32Array; numClasses: number }): number;
}

/** Learning rate for a 0-based epoch, given the optimizer's base rate. */
export type Schedule = (epoch: number, baseLearningRate: number) => number;
