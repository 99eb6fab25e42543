import type { tf } from '@polyfuse/core';

/*
 * The interface agreed between @polyfuse/losses (which implements weighting
 * strategies: static, uncertainty, DWA, GradNorm, PCGrad, MGDA, OGM-GE) and
 * the trainer. It is restated here, type-only, so the trainer compiles against
 * the contract itself; TypeScript's structural typing makes the strategies
 * from @polyfuse/losses fit it as they are.
 */

export interface WeightingContext {
  /** All trainable model variables the gradients are for. */
  variables: tf.Variable[];
  /** Variables shared by all terms (the encoders + fusion), for GradNorm/PCGrad/MGDA; defaults to `variables`. */
  sharedVariables?: tf.Variable[];
  /** Variables of each modality's encoder, for modality balancing (OGM-GE). */
  modalityVariables?: Record<string, tf.Variable[]>;
  /** Per-modality confidence on this batch: sum over samples of the softmax probability of the true class from `logits_<modality>`. */
  modalityScores?: Record<string, number>;
  step: number;
  epoch: number;
}

export interface WeightedGradients {
  /** Gradient per variable name, including the strategy's own variables. */
  grads: tf.NamedTensorMap;
  /** Value of each term at this step. */
  losses: Record<string, number>;
  /** Weight used for each term at this step. */
  weights: Record<string, number>;
  /** The weighted total. */
  total: number;
}

export interface WeightingStrategy {
  readonly name: string;
  /** What the trainer must supply in the context. */
  readonly needs?: readonly ('modalityScores' | 'modalityVariables' | 'sharedVariables')[];
  /** Variables the strategy learns itself; the trainer's optimizer updates them too. */
  readonly variables: tf.Variable[];
  /** terms: name → function computing that scalar loss from the current variables. */
  computeGradients(terms: Record<string, () => tf.Scalar>, context: WeightingContext): WeightedGradients;
  /** Called at the end of each epoch with the epoch's mean loss per term. */
  endEpoch?(epochLosses: Record<string, number>): void;
  getState(): unknown;
  setState(state: unknown): void;
}
