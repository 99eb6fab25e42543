import type { tf } from '@polyfuse/core';

/**
 * The contract between @polyfuse/losses and @polyfuse/trainer: a weighting
 * strategy turns named loss terms into the gradients one optimiser step
 * applies, and reports the weight it gave each term.
 */
export interface WeightingContext {
  /** All trainable model variables the gradients are for. */
  variables: tf.Variable[];
  /** Variables shared by all terms (e.g. the encoders + fusion), for GradNorm/PCGrad/MGDA; defaults to `variables`. */
  sharedVariables?: tf.Variable[];
  /** Variables of each modality's encoder, for modality balancing (OGM-GE). */
  modalityVariables?: Record<string, tf.Variable[]>;
  /** Per-modality confidence on this batch (sum over samples of the softmax probability of the true class from that modality's unimodal output `logits_<modality>`), for OGM-GE. */
  modalityScores?: Record<string, number>;
  step: number;
  epoch: number;
}

export interface WeightedGradients {
  /** Gradient per variable name (tf.NamedTensorMap), ready for optimizer.applyGradients; includes the strategy's own variables. */
  grads: tf.NamedTensorMap;
  /** Value of each term at this step. */
  losses: Record<string, number>;
  /** Weight used for each term at this step (for logs and reports). */
  weights: Record<string, number>;
  /** The weighted total. */
  total: number;
}

export interface WeightingStrategy {
  readonly name: string;
  /** What the trainer must supply in the context, e.g. ['modalityScores']. */
  readonly needs?: readonly ('modalityScores' | 'modalityVariables' | 'sharedVariables')[];
  /** Variables the strategy learns itself (e.g. uncertainty log-variances); the trainer's optimizer updates them too. */
  readonly variables: tf.Variable[];
  /** terms: name → function computing that scalar loss from the current variables. */
  computeGradients(terms: Record<string, () => tf.Scalar>, context: WeightingContext): WeightedGradients;
  /** Called at the end of each epoch with the epoch's mean loss per term (DWA uses it). */
  endEpoch?(epochLosses: Record<string, number>): void;
  /** JSON state for checkpoints/resume. */
  getState(): unknown;
  setState(state: unknown): void;
}
