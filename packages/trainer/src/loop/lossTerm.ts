import type { tf } from '@polyfuse/core';

/** One named loss term: a loss function applied to one model output and one target. */
export interface LossTerm {
  /** Name in logs and for the weighting strategy, e.g. `main`, `aux_image`. */
  name: string;
  /** `(prediction, target) => scalar`, e.g. a `loss/cross-entropy` entry from @polyfuse/losses. */
  loss: (prediction: tf.Tensor, target: tf.Tensor) => tf.Scalar;
  /** Model output: `logits` (default) or `logits_<modality>`. */
  output?: string;
  /** Target name (the dataset's label). Default `label`. */
  target?: string;
  /**
   * Count only samples where this modality is present (mask 1). Default: the
   * modality of a `logits_<modality>` output (a unimodal head learns nothing
   * from zeros), none for `logits`. `null` turns it off.
   */
  presentModality?: string | null;
}

/** The output and target a term reads, and the modality that must be present. */
export function resolveTerm(term: LossTerm): { output: string; target: string; presentModality: string | undefined } {
  const output = term.output ?? 'logits';
  const inferred = output.startsWith('logits_') ? output.slice('logits_'.length) : undefined;
  return {
    output,
    target: term.target ?? 'label',
    presentModality: term.presentModality === null ? undefined : (term.presentModality ?? inferred),
  };
}
