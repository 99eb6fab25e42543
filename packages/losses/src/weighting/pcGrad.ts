import { tf, InputError, SeededRandom } from '@polyfuse/core';
import { checkFiniteNumber } from '../validation/checks.js';
import {
  checkContext,
  checkStateObject,
  checkTerms,
  checkWeightNames,
  checkWeights,
  combine,
  gramMatrix,
  sharedVariablesOf,
  termGradients,
} from './termGradients.js';
import type { WeightedGradients, WeightingContext, WeightingStrategy } from './weightingStrategy.js';

export interface PCGradOptions {
  /** Static weight per term applied before the surgery; default 1 each. */
  weights?: Record<string, number>;
  /** Seed of the random projection order; default 0. */
  seed?: number;
}

/**
 * PCGrad's projection written on the Gram matrix `gram[i][j] = g_i · g_j`:
 * returns `C` with `g_i^PC = Σ_k C[i][k] g_k`. For each i, starting from
 * `g_i^PC = g_i`, for each j ≠ i in `order(i)`: if `g_i^PC · g_j < 0`,
 * `g_i^PC −= (g_i^PC · g_j / ‖g_j‖²) g_j` (Yu et al. 2020, Algorithm 1).
 * Working on the Gram matrix keeps the surgery exact while touching each
 * gradient tensor only once.
 */
export function pcgradCoefficients(gram: number[][], order: (i: number) => number[]): number[][] {
  const k = gram.length;
  return Array.from({ length: k }, (_, i) => {
    const c = Array.from({ length: k }, (_, m) => (m === i ? 1 : 0));
    for (const j of order(i)) {
      if (j === i || !(gram[j][j] > 0)) continue;
      let dot = 0;
      for (let m = 0; m < k; m++) dot += c[m] * gram[m][j];
      if (dot < 0) c[j] -= dot / gram[j][j];
    }
    return c;
  });
}

/**
 * PCGrad gradient surgery (Yu et al., "Gradient Surgery for Multi-Task
 * Learning", NeurIPS 2020): on the shared variables, each term's gradient is
 * projected onto the normal plane of every other term's gradient it conflicts
 * with (negative dot product), in a random order per term (seeded), and the
 * projected gradients are summed; task-specific variables get the plain sum.
 * With two terms, each projected gradient has a non-negative dot product with
 * the other term's gradient.
 */
export class PCGrad implements WeightingStrategy {
  readonly name = 'pcgrad';
  readonly needs = ['sharedVariables'] as const;
  readonly variables: tf.Variable[] = [];
  /** The last step's surgery: `projected_i = Σ_k coefficients[i][k] · w_k ∇L_k` (for logs and tests). */
  lastCoefficients: number[][] = [];
  private readonly weights: Record<string, number>;
  private readonly random: SeededRandom;

  constructor(options: PCGradOptions = {}) {
    this.weights = checkWeights(options.weights, 'weighting/pcgrad.weights');
    this.random = new SeededRandom(checkFiniteNumber(options.seed ?? 0, 'weighting/pcgrad.seed'));
  }

  computeGradients(terms: Record<string, () => tf.Scalar>, context: WeightingContext): WeightedGradients {
    const names = checkTerms(terms, 'weighting/pcgrad');
    const variables = checkContext(context, 'weighting/pcgrad');
    checkWeightNames(this.weights, names, 'weighting/pcgrad.weights');
    const shared = new Set(sharedVariablesOf(context, variables, 'weighting/pcgrad').map((v) => v.name));
    const weights = Object.fromEntries(names.map((n) => [n, this.weights[n] ?? 1]));
    const perTerm: tf.Tensor[][] = [];
    const losses: Record<string, number> = {};
    try {
      for (const name of names) {
        const { value, grads } = termGradients(name, terms[name], variables, 'weighting/pcgrad');
        perTerm.push(grads.map((g) => (weights[name] === 1 ? g : tf.tidy(() => g.mul(weights[name])))));
        if (weights[name] !== 1) tf.dispose(grads);
        losses[name] = value;
      }
      const sharedIndices = variables.flatMap((v, i) => (shared.has(v.name) ? [i] : []));
      const gram = gramMatrix(perTerm, sharedIndices);
      const indices = names.map((_, i) => i);
      const coefficients = pcgradCoefficients(gram, () => this.random.shuffle([...indices]));
      this.lastCoefficients = coefficients;
      const sharedCombination = indices.map((k) => coefficients.reduce((sum, row) => sum + row[k], 0));
      const plain = indices.map(() => 1);
      const grads: tf.NamedTensorMap = {};
      variables.forEach((v, index) => {
        grads[v.name] = combine(perTerm, shared.has(v.name) ? sharedCombination : plain, index);
      });
      const total = names.reduce((sum, n) => sum + weights[n] * losses[n], 0);
      return { grads, losses, weights, total };
    } finally {
      perTerm.forEach((grads) => tf.dispose(grads));
    }
  }

  getState(): { random: number } {
    return { random: this.random.getState() };
  }

  setState(state: unknown): void {
    const value = checkStateObject(state, 'weighting/pcgrad').random;
    if (typeof value !== 'number') throw new InputError('weighting/pcgrad.setState: state.random must be a number.');
    this.random.setState(value);
  }
}
