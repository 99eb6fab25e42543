import type { tf } from '@polyfuse/core';
import { checkFiniteNumber } from '../validation/checks.js';
import { checkContext, checkStateObject, checkTerms, checkWeightNames, checkWeights, weightedSumGradients } from './termGradients.js';
import type { WeightedGradients, WeightingContext, WeightingStrategy } from './weightingStrategy.js';

export interface StaticWeightingOptions {
  /** Weight per term name, e.g. `{ image: 1, text: 0.5 }`; each >= 0. */
  weights?: Record<string, number>;
  /** Weight of terms not named in `weights`; default 1. */
  defaultWeight?: number;
}

/**
 * Fixed weighted sum, `L = Σ_i w_i · L_i` (e.g. `w_image · L_image + w_text ·
 * L_text`), differentiated in one backward pass. Also the way to add
 * auxiliary unimodal losses (a head per modality) to the fused loss: give
 * each `logits_<modality>` term its weight (see unimodalLossTerms).
 */
export class StaticWeighting implements WeightingStrategy {
  readonly name = 'static';
  readonly variables: tf.Variable[] = [];
  private readonly weights: Record<string, number>;
  private readonly defaultWeight: number;

  constructor(options: StaticWeightingOptions = {}) {
    this.weights = checkWeights(options.weights, 'weighting/static.weights');
    this.defaultWeight = checkFiniteNumber(options.defaultWeight ?? 1, 'weighting/static.defaultWeight', { min: 0 });
  }

  computeGradients(terms: Record<string, () => tf.Scalar>, context: WeightingContext): WeightedGradients {
    const names = checkTerms(terms, 'weighting/static');
    const variables = checkContext(context, 'weighting/static');
    checkWeightNames(this.weights, names, 'weighting/static.weights');
    const weights = Object.fromEntries(names.map((n) => [n, this.weights[n] ?? this.defaultWeight]));
    const { total, losses, grads } = weightedSumGradients(names, terms, (n) => weights[n], variables, 'weighting/static');
    return { grads, losses, weights, total };
  }

  getState(): unknown {
    return {};
  }

  setState(state: unknown): void {
    checkStateObject(state, 'weighting/static');
  }
}
