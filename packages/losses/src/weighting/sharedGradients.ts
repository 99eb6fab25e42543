import { tf } from '@polyfuse/core';
import { checkContext, checkTerms, combine, gramMatrix, sharedVariablesOf, termGradients } from './termGradients.js';
import type { WeightedGradients, WeightingContext } from './weightingStrategy.js';

/** What a strategy decides from the Gram matrix of the terms' shared gradients. */
export interface SharedCoefficients {
  /** One coefficient per term (in `names` order) for the shared variables. */
  coefficients: number[];
  /** Task-specific variables: `same` coefficients, or the plain `sum` of their term gradients. */
  taskSpecific: 'same' | 'sum';
}

/**
 * The part MGDA and CAGrad share: each term's gradients (one tape per term),
 * the Gram matrix `G Gᵀ` of their shared-variable parts, the strategy's
 * coefficients from it, and the combined gradients. Reported weights are the
 * shared coefficients; `total` is `Σ coefficient_i · L_i`. The per-term
 * gradients are freed whatever happens.
 */
export function sharedGradients(
  terms: Record<string, () => tf.Scalar>,
  context: WeightingContext,
  strategy: string,
  decide: (gram: number[][], names: string[], losses: Record<string, number>) => SharedCoefficients,
): WeightedGradients {
  const names = checkTerms(terms, strategy);
  const variables = checkContext(context, strategy);
  const shared = new Set(sharedVariablesOf(context, variables, strategy).map((v) => v.name));
  const perTerm: tf.Tensor[][] = [];
  const losses: Record<string, number> = {};
  try {
    for (const name of names) {
      const { value, grads } = termGradients(name, terms[name], variables, strategy);
      perTerm.push(grads);
      losses[name] = value;
    }
    const gram = gramMatrix(perTerm, variables.flatMap((v, i) => (shared.has(v.name) ? [i] : [])));
    const { coefficients, taskSpecific } = decide(gram, names, losses);
    const plain = names.map(() => 1);
    const grads: tf.NamedTensorMap = {};
    variables.forEach((v, index) => {
      grads[v.name] = combine(perTerm, shared.has(v.name) || taskSpecific === 'same' ? coefficients : plain, index);
    });
    const weights = Object.fromEntries(names.map((n, i) => [n, coefficients[i]!]));
    const total = names.reduce((sum, n, i) => sum + coefficients[i]! * losses[n]!, 0);
    return { grads, losses, weights, total };
  } finally {
    perTerm.forEach((grads) => tf.dispose(grads));
  }
}
