import type { tf } from '@polyfuse/core';
import { InputError } from '@polyfuse/core';
import { checkFiniteNumber } from '../validation/checks.js';
import { checkContext, checkStateObject, checkTerms, weightedSumGradients } from './termGradients.js';
import type { WeightedGradients, WeightingContext, WeightingStrategy } from './weightingStrategy.js';

export interface DynamicWeightAverageOptions {
  /** Softmax temperature T; default 2 as in the paper. */
  temperature?: number;
}

/**
 * Dynamic Weight Average (Liu, Johns & Davison, "End-to-End Multi-Task
 * Learning with Attention", CVPR 2019): for epoch t,
 * `w_k(t) = K · exp(r_k(t−1)/T) / Σ_i exp(r_i(t−1)/T)` with
 * `r_k(t−1) = L_k(t−1) / L_k(t−2)` the ratio of the last two epochs' mean
 * losses (from `endEpoch`), and `w_k = 1` for the first two epochs. A loss
 * that falls more slowly has the larger ratio and gets the larger weight.
 */
export class DynamicWeightAverage implements WeightingStrategy {
  readonly name = 'dwa';
  readonly variables: tf.Variable[] = [];
  readonly temperature: number;
  /** The last two epochs' mean losses, oldest first. */
  private history: Record<string, number>[] = [];

  constructor(options: DynamicWeightAverageOptions = {}) {
    this.temperature = checkFiniteNumber(options.temperature ?? 2, 'weighting/dwa.temperature', { exclusiveMin: 0 });
  }

  /** The weights DWA gives `names` now. */
  currentWeights(names: string[]): Record<string, number> {
    if (this.history.length < 2) return Object.fromEntries(names.map((n) => [n, 1]));
    const [older, last] = this.history;
    const ratios = names.map((n) => {
      const before = older[n];
      const after = last[n];
      // A term new since the last two epochs has no trend yet: treat it as flat.
      if (before === undefined || after === undefined || before <= 0) return 1;
      return after / before;
    });
    const max = Math.max(...ratios.map((r) => r / this.temperature));
    const exps = ratios.map((r) => Math.exp(r / this.temperature - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return Object.fromEntries(names.map((n, i) => [n, (names.length * exps[i]) / sum]));
  }

  computeGradients(terms: Record<string, () => tf.Scalar>, context: WeightingContext): WeightedGradients {
    const names = checkTerms(terms, 'weighting/dwa');
    const variables = checkContext(context, 'weighting/dwa');
    const weights = this.currentWeights(names);
    const { total, losses, grads } = weightedSumGradients(names, terms, (n) => weights[n], variables, 'weighting/dwa');
    return { grads, losses, weights, total };
  }

  endEpoch(epochLosses: Record<string, number>): void {
    const record = checkStateObject(epochLosses, 'weighting/dwa.endEpoch');
    for (const [name, value] of Object.entries(record)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new InputError(`weighting/dwa.endEpoch: epochLosses.${name} must be a finite non-negative number, got ${value}.`);
      }
    }
    this.history = [...this.history, { ...(record as Record<string, number>) }].slice(-2);
  }

  getState(): { history: Record<string, number>[] } {
    return { history: this.history.map((h) => ({ ...h })) };
  }

  setState(state: unknown): void {
    const history = checkStateObject(state, 'weighting/dwa').history;
    if (!Array.isArray(history)) throw new InputError('weighting/dwa.setState: state.history must be an array.');
    this.history = [];
    for (const entry of history) this.endEpoch(entry as Record<string, number>);
  }
}
