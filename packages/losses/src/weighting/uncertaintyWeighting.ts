import { tf, InputError } from '@polyfuse/core';
import { checkContext, checkStateObject, checkTerms, weightedSumGradients } from './termGradients.js';
import type { WeightedGradients, WeightingContext, WeightingStrategy } from './weightingStrategy.js';

export interface UncertaintyWeightingOptions {
  /** Term names, to create the log-variances up front (so `variables` is complete before the first step); otherwise they are created on the first step. */
  terms?: string[];
  /** Initial log-variance s_i; default 0 (weight 1). */
  initialLogVariance?: number;
}

let instances = 0;

/**
 * Homoscedastic uncertainty weighting (Kendall, Gal & Cipolla, CVPR 2018):
 * each term gets a learned log-variance `s_i = log σ_i²` and the objective is
 * `L = Σ_i exp(−s_i) · L_i + s_i`, the common form of the paper's eq. 7 for
 * mixed regression/classification terms. The weight reported is
 * `exp(−s_i) = 1/σ_i²`; minimising `L` in `s_i` gives `σ_i² = L_i`, so the
 * noisier task (larger irreducible loss) gets the smaller weight. The
 * log-variances are tf.Variables in `variables`, and their gradients come
 * back in `grads`, so the trainer's optimiser learns them with the model.
 */
export class UncertaintyWeighting implements WeightingStrategy {
  readonly name = 'uncertainty';
  readonly variables: tf.Variable[] = [];
  private readonly logVariances = new Map<string, tf.Variable>();
  private readonly initial: number;
  private readonly id = instances++;

  constructor(options: UncertaintyWeightingOptions = {}) {
    this.initial = options.initialLogVariance ?? 0;
    if (!Number.isFinite(this.initial)) {
      throw new InputError(`weighting/uncertainty.initialLogVariance must be finite, got ${this.initial}.`);
    }
    for (const name of options.terms ?? []) this.logVariance(name);
  }

  /** The log-variance variable of a term (created at `initialLogVariance` when new). */
  logVariance(term: string): tf.Variable {
    let variable = this.logVariances.get(term);
    if (!variable) {
      const safe = term.replace(/[^A-Za-z0-9_]/g, '_');
      const name = `uncertainty_${this.id}_log_variance_${safe}`;
      variable = tf.tidy(() => tf.variable(tf.scalar(this.initial), true, name));
      this.logVariances.set(term, variable);
      this.variables.push(variable);
    }
    return variable;
  }

  computeGradients(terms: Record<string, () => tf.Scalar>, context: WeightingContext): WeightedGradients {
    const names = checkTerms(terms, 'weighting/uncertainty');
    const modelVariables = checkContext(context, 'weighting/uncertainty');
    const own = names.map((n) => this.logVariance(n));
    const { total, losses, grads } = weightedSumGradients(
      names,
      terms,
      (n) => tf.exp(this.logVariance(n).neg()) as tf.Scalar,
      [...modelVariables, ...own],
      'weighting/uncertainty',
      () => tf.addN(own) as tf.Scalar,
    );
    return { grads, losses, weights: this.currentWeights(names), total };
  }

  private currentWeights(names: string[]): Record<string, number> {
    return Object.fromEntries(names.map((n) => [n, Math.exp(-this.logVariance(n).dataSync()[0])]));
  }

  getState(): { logVariances: Record<string, number> } {
    return {
      logVariances: Object.fromEntries([...this.logVariances].map(([n, v]) => [n, v.dataSync()[0]])),
    };
  }

  setState(state: unknown): void {
    const logVariances = checkStateObject(state, 'weighting/uncertainty').logVariances;
    const record = checkStateObject(logVariances, 'weighting/uncertainty');
    for (const [name, value] of Object.entries(record)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InputError(`weighting/uncertainty.setState: logVariances.${name} must be a finite number, got ${value}.`);
      }
      const variable = this.logVariance(name);
      tf.tidy(() => variable.assign(tf.scalar(value)));
    }
  }

  /** Frees the log-variance variables. */
  dispose(): void {
    tf.dispose(this.variables);
    this.variables.length = 0;
    this.logVariances.clear();
  }
}
