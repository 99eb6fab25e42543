import type { tf } from '@polyfuse/core';

/** One named loss term: a loss function applied to one (or several) model outputs and one target. */
export interface LossTerm {
  /** Name in logs and for the weighting strategy, e.g. `main`, `aux_image`. */
  name: string;
  /**
   * `(prediction, target) => scalar`, e.g. a `loss/cross-entropy` entry from
   * @polyfuse/losses. A term with `outputs` receives the list of those outputs
   * as `prediction` (a contrastive loss on two embeddings).
   */
  loss(prediction: tf.Tensor | tf.Tensor[], target: tf.Tensor): tf.Scalar;
  /** Model output: `logits` (default), `logits_<modality>`, `logits_<head>`, `values_<head>`, `tokens_<head>`. */
  output?: string;
  /** Several outputs read together (`[embedding_image, embedding_text]`); overrides `output`. */
  outputs?: string[];
  /** Target name (the dataset's label). Default `label`. */
  target?: string;
  /**
   * Count only samples where this modality is present (mask 1). Default: the
   * modality of a `logits_<modality>` auxiliary output, and every modality of
   * `embedding_<modality>` outputs (a unimodal head learns nothing from zeros),
   * none otherwise. `null` turns it off.
   */
  presentModality?: string | null;
}

/** The outputs and target a term reads, and the modalities that must be present in a counted row. */
export function resolveTerm(term: LossTerm, modalities: readonly string[] = []): { output: string; outputs: string[]; target: string; presentModalities: string[] } {
  const outputs = term.outputs && term.outputs.length > 0 ? term.outputs : [term.output ?? 'logits'];
  let presentModalities: string[] = [];
  if (term.presentModality === null) presentModalities = [];
  else if (term.presentModality !== undefined) presentModalities = [term.presentModality];
  else {
    for (const output of outputs) {
      const prefix = output.startsWith('logits_') ? 'logits_' : output.startsWith('embedding_') ? 'embedding_' : undefined;
      const modality = prefix ? output.slice(prefix.length) : undefined;
      // `logits_<head>` of a named head is not a modality's; only real modalities are inferred (any name when they are unknown, as before).
      if (modality && (modalities.length === 0 || modalities.includes(modality))) presentModalities.push(modality);
    }
  }
  return { output: outputs[0]!, outputs, target: term.target ?? 'label', presentModalities };
}
