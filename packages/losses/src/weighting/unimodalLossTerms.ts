import { tf, InputError, mainOutputName, auxiliaryOutputName } from '@polyfuse/core';

export interface UnimodalLossTermsOptions {
  /** Runs the model and returns its outputs (`logits`, `logits_<modality>`); called inside each term. */
  outputs: () => Record<string, tf.Tensor>;
  /** The batch's targets, passed to `loss` for every term. */
  target: tf.Tensor;
  /** Loss of one output, e.g. `(p, t) => crossEntropyLoss(p, t)`. */
  loss: (prediction: tf.Tensor, target: tf.Tensor) => tf.Scalar;
  /** Modalities with an auxiliary head (`logits_<modality>`). */
  modalities: readonly string[];
  /** Name of the fused term; default `'fused'`. */
  fusedTerm?: string;
}

/**
 * Loss terms for a fused model with auxiliary unimodal heads (a head per
 * modality): `{ fused: loss(logits), image: loss(logits_image), ... }`, to
 * hand to a weighting strategy — e.g. `weighting/static` with
 * `{ weights: { fused: 1, image: 0.3, text: 0.3 } }` gives
 * `L = L_fused + 0.3 L_image + 0.3 L_text`, which keeps each encoder learning
 * even when another modality dominates the fused prediction. Each term runs
 * `outputs()` itself, because a strategy may differentiate terms separately.
 */
export function unimodalLossTerms(options: UnimodalLossTermsOptions): Record<string, () => tf.Scalar> {
  const fused = options.fusedTerm ?? 'fused';
  if (options.modalities.includes(fused)) {
    throw new InputError(`unimodalLossTerms: fusedTerm '${fused}' clashes with a modality name; choose another.`);
  }
  const term = (outputName: string) => (): tf.Scalar =>
    tf.tidy(() => {
      const outputs = options.outputs();
      const prediction = outputs[outputName];
      if (!prediction) {
        throw new InputError(
          `unimodalLossTerms: the model has no output '${outputName}'; outputs are: ${Object.keys(outputs).join(', ')}.`,
        );
      }
      return options.loss(prediction, options.target);
    });
  const terms: Record<string, () => tf.Scalar> = { [fused]: term(mainOutputName) };
  for (const modality of options.modalities) terms[modality] = term(auxiliaryOutputName(modality));
  return terms;
}
