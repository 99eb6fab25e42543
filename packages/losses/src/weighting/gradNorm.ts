import { tf, InputError } from '@polyfuse/core';
import { checkFiniteNumber } from '../validation/checks.js';
import {
  checkContext,
  checkStateObject,
  checkTerms,
  combine,
  gramMatrix,
  sharedVariablesOf,
  termGradients,
} from './termGradients.js';
import type { WeightedGradients, WeightingContext, WeightingStrategy } from './weightingStrategy.js';

export interface GradNormOptions {
  /** Restoring-force strength α; default 1.5 (the paper's value for NYUv2). */
  alpha?: number;
  /** Term names, to create the weights up front; otherwise created on the first step. */
  terms?: string[];
}

let instances = 0;

/** Smallest weight kept when renormalising, so a weight that overshot below 0 can recover. */
const minimumWeight = 1e-3;

/**
 * GradNorm (Chen et al., ICML 2018). Each term has a learned weight `w_i`
 * (a tf.Variable in `variables`, starting at 1). Per step, with `g_i` the
 * gradient of `L_i` over the shared variables:
 * `G_i = w_i ‖g_i‖`, `Ḡ = mean_i G_i`, `L̃_i = L_i / L_i(0)`,
 * `r_i = L̃_i / mean_j L̃_j`, and the GradNorm loss
 * `L_grad = Σ_i |G_i − Ḡ · r_i^α|` with the target held constant. The
 * weights' gradient `∂L_grad/∂w_i = sign(G_i − target_i) · ‖g_i‖` comes back
 * in `grads` for the trainer's optimiser; the model's gradient is
 * `Σ_i w_i ∇L_i`. Before each step the weights are renormalised to sum to the
 * number of terms K (kept >= 1e-3), as in the paper. The effect: the weighted
 * gradient norms are pulled together, adjusted by each task's training rate.
 */
export class GradNorm implements WeightingStrategy {
  readonly name = 'gradnorm';
  readonly needs = ['sharedVariables'] as const;
  readonly variables: tf.Variable[] = [];
  readonly alpha: number;
  /** The last step's weighted gradient norms `w_i ‖g_i‖` on the shared variables (for logs and tests). */
  lastWeightedNorms: Record<string, number> = {};
  private readonly weightVariables = new Map<string, tf.Variable>();
  private initialLosses: Record<string, number> = {};
  private readonly id = instances++;

  constructor(options: GradNormOptions = {}) {
    this.alpha = checkFiniteNumber(options.alpha ?? 1.5, 'weighting/gradnorm.alpha', { min: 0 });
    for (const name of options.terms ?? []) this.weightVariable(name);
  }

  /** The weight variable of a term (created at 1 when new). */
  weightVariable(term: string): tf.Variable {
    let variable = this.weightVariables.get(term);
    if (!variable) {
      const safe = term.replace(/[^A-Za-z0-9_]/g, '_');
      const name = `gradnorm_${this.id}_weight_${safe}`;
      variable = tf.tidy(() => tf.variable(tf.scalar(1), true, name));
      this.weightVariables.set(term, variable);
      this.variables.push(variable);
    }
    return variable;
  }

  computeGradients(terms: Record<string, () => tf.Scalar>, context: WeightingContext): WeightedGradients {
    const names = checkTerms(terms, 'weighting/gradnorm');
    const variables = checkContext(context, 'weighting/gradnorm');
    const shared = new Set(sharedVariablesOf(context, variables, 'weighting/gradnorm').map((v) => v.name));
    const weights = this.renormalisedWeights(names);

    const perTerm: tf.Tensor[][] = [];
    const losses: Record<string, number> = {};
    try {
      for (const name of names) {
        const { value, grads } = termGradients(name, terms[name], variables, 'weighting/gradnorm');
        perTerm.push(grads);
        losses[name] = value;
      }
      const sharedIndices = variables.flatMap((v, i) => (shared.has(v.name) ? [i] : []));
      const gram = gramMatrix(perTerm, sharedIndices);
      const norms = names.map((_, i) => Math.sqrt(Math.max(gram[i][i], 0)));
      for (const name of names) if (this.initialLosses[name] === undefined) this.initialLosses[name] = losses[name];
      const relative = names.map((n) => (this.initialLosses[n] > 0 ? losses[n] / this.initialLosses[n] : 1));
      const meanRelative = relative.reduce((a, b) => a + b, 0) / names.length;
      const weighted = names.map((n, i) => weights[n] * norms[i]);
      const meanWeighted = weighted.reduce((a, b) => a + b, 0) / names.length;

      const grads: tf.NamedTensorMap = {};
      const coefficients = names.map((n) => weights[n]);
      variables.forEach((v, index) => (grads[v.name] = combine(perTerm, coefficients, index)));
      names.forEach((n, i) => {
        const rate = meanRelative > 0 ? relative[i] / meanRelative : 1;
        const target = meanWeighted * Math.pow(rate, this.alpha);
        grads[this.weightVariable(n).name] = tf.scalar(Math.sign(weighted[i] - target) * norms[i]);
      });
      this.lastWeightedNorms = Object.fromEntries(names.map((n, i) => [n, weighted[i]]));
      const total = names.reduce((sum, n) => sum + weights[n] * losses[n], 0);
      return { grads, losses, weights, total };
    } finally {
      perTerm.forEach((grads) => tf.dispose(grads));
    }
  }

  /** Clamps the weights to >= 1e-3 and rescales them to sum to K, in place. */
  private renormalisedWeights(names: string[]): Record<string, number> {
    const raw = names.map((n) => Math.max(this.weightVariable(n).dataSync()[0], minimumWeight));
    const sum = raw.reduce((a, b) => a + b, 0);
    const weights: Record<string, number> = {};
    names.forEach((n, i) => {
      weights[n] = (raw[i] * names.length) / sum;
      tf.tidy(() => this.weightVariable(n).assign(tf.scalar(weights[n])));
    });
    return weights;
  }

  getState(): { weights: Record<string, number>; initialLosses: Record<string, number> } {
    return {
      weights: Object.fromEntries([...this.weightVariables].map(([n, v]) => [n, v.dataSync()[0]])),
      initialLosses: { ...this.initialLosses },
    };
  }

  setState(state: unknown): void {
    const record = checkStateObject(state, 'weighting/gradnorm');
    const weights = checkStateObject(record.weights, 'weighting/gradnorm');
    const initialLosses = checkStateObject(record.initialLosses, 'weighting/gradnorm');
    for (const [field, values] of [['weights', weights], ['initialLosses', initialLosses]] as const) {
      for (const [name, value] of Object.entries(values)) {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw new InputError(`weighting/gradnorm.setState: ${field}.${name} must be a finite number, got ${value}.`);
        }
      }
    }
    for (const [name, value] of Object.entries(weights)) {
      const variable = this.weightVariable(name);
      tf.tidy(() => variable.assign(tf.scalar(value as number)));
    }
    this.initialLosses = { ...(initialLosses as Record<string, number>) };
  }

  /** Frees the weight variables. */
  dispose(): void {
    tf.dispose(this.variables);
    this.variables.length = 0;
    this.weightVariables.clear();
  }
}
