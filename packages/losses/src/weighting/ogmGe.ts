import { tf, InputError, SeededRandom } from '@polyfuse/core';
import { checkFiniteNumber } from '../validation/checks.js';
import {
  checkContext,
  checkStateObject,
  checkTerms,
  checkWeightNames,
  checkWeights,
  weightedSumGradients,
} from './termGradients.js';
import type { WeightedGradients, WeightingContext, WeightingStrategy } from './weightingStrategy.js';

export interface OgmGeOptions {
  /** Modulation strength α; the paper tunes it per dataset (0.1 to 0.8). Default 0.1. */
  alpha?: number;
  /** Add Gaussian noise with the gradient's own standard deviation (the "GE"); default true. `false` gives plain OGM. */
  gaussianEnhancement?: boolean;
  /** First epoch (inclusive) with modulation; default 0. */
  modulationStarts?: number;
  /** Epoch (exclusive) where modulation stops; default 50 as in the authors' code. */
  modulationEnds?: number;
  /** Static weight per term of the summed loss; default 1 each. */
  weights?: Record<string, number>;
  /** Seed of the Gaussian enhancement noise; default 0. */
  seed?: number;
}

/**
 * OGM-GE: on-the-fly gradient modulation with generalisation enhancement
 * (Peng et al., "Balanced Multimodal Learning via On-the-fly Gradient
 * Modulation", CVPR 2022). The loss is the static weighted sum of the terms.
 * Each modality's discrepancy ratio is its batch confidence
 * (`context.modalityScores`) over the mean of the other modalities'
 * (for two modalities exactly the paper's `ρ = s_a / s_v`); a modality with
 * `ρ > 1` dominates, and the gradients of its encoder variables
 * (`context.modalityVariables`) are scaled by `k = 1 − tanh(α · ρ)`, as in the
 * authors' code; the others keep `k = 1`. With Gaussian enhancement each
 * modality's encoder gradient then gets `N(0, std(g)²)` noise added (std of
 * that variable's gradient + 1e-8, as the authors' code). Applies from
 * `modulationStarts` to `modulationEnds`.
 */
export class OgmGe implements WeightingStrategy {
  readonly name = 'ogm-ge';
  readonly needs = ['modalityScores', 'modalityVariables'] as const;
  readonly variables: tf.Variable[] = [];
  readonly alpha: number;
  readonly gaussianEnhancement: boolean;
  readonly modulationStarts: number;
  readonly modulationEnds: number;
  /** The last step's modulation coefficient per modality (1 when not modulated). */
  lastCoefficients: Record<string, number> = {};
  private readonly weights: Record<string, number>;
  private readonly random: SeededRandom;

  constructor(options: OgmGeOptions = {}) {
    this.alpha = checkFiniteNumber(options.alpha ?? 0.1, 'weighting/ogm-ge.alpha', { min: 0 });
    this.gaussianEnhancement = options.gaussianEnhancement ?? true;
    this.modulationStarts = checkFiniteNumber(options.modulationStarts ?? 0, 'weighting/ogm-ge.modulationStarts', { min: 0 });
    this.modulationEnds = options.modulationEnds ?? 50;
    if (!(this.modulationEnds >= this.modulationStarts)) {
      throw new InputError(`weighting/ogm-ge.modulationEnds must be >= modulationStarts (${this.modulationStarts}), got ${this.modulationEnds}.`);
    }
    this.weights = checkWeights(options.weights, 'weighting/ogm-ge.weights');
    this.random = new SeededRandom(checkFiniteNumber(options.seed ?? 0, 'weighting/ogm-ge.seed'));
  }

  /** The modulation coefficient `1 − tanh(α ρ)` of each dominant modality, 1 for the others. */
  coefficients(scores: Record<string, number>): Record<string, number> {
    const modalities = Object.keys(scores);
    const out: Record<string, number> = {};
    for (const m of modalities) {
      const others = modalities.filter((o) => o !== m);
      const meanOthers = others.reduce((sum, o) => sum + scores[o], 0) / Math.max(others.length, 1);
      const ratio = others.length > 0 && meanOthers > 0 ? scores[m] / meanOthers : 1;
      out[m] = ratio > 1 ? 1 - Math.tanh(this.alpha * ratio) : 1;
    }
    return out;
  }

  computeGradients(terms: Record<string, () => tf.Scalar>, context: WeightingContext): WeightedGradients {
    const names = checkTerms(terms, 'weighting/ogm-ge');
    const variables = checkContext(context, 'weighting/ogm-ge');
    checkWeightNames(this.weights, names, 'weighting/ogm-ge.weights');
    const { scores, modalityVariables } = this.checkModalityContext(context);
    const weights = Object.fromEntries(names.map((n) => [n, this.weights[n] ?? 1]));
    const result = weightedSumGradients(names, terms, (n) => weights[n], variables, 'weighting/ogm-ge');
    const active = context.epoch >= this.modulationStarts && context.epoch < this.modulationEnds;
    const coefficients = active ? this.coefficients(scores) : Object.fromEntries(Object.keys(scores).map((m) => [m, 1]));
    this.lastCoefficients = coefficients;
    if (active) {
      for (const [modality, modalityVars] of Object.entries(modalityVariables)) {
        const k = coefficients[modality] ?? 1;
        for (const v of modalityVars) {
          const g = result.grads[v.name];
          if (!g) continue;
          result.grads[v.name] = tf.tidy(() => {
            let modulated = k === 1 ? g.clone() : g.mul(k);
            if (this.gaussianEnhancement) {
              const std = standardDeviation(g) + 1e-8;
              modulated = modulated.add(tf.randomNormal(g.shape, 0, std, 'float32', this.random.int(2 ** 31)));
            }
            return modulated;
          });
          g.dispose();
        }
      }
    }
    return { grads: result.grads, losses: result.losses, weights, total: result.total };
  }

  private checkModalityContext(context: WeightingContext): {
    scores: Record<string, number>;
    modalityVariables: Record<string, tf.Variable[]>;
  } {
    const scores = context.modalityScores;
    const modalityVariables = context.modalityVariables;
    if (!scores || typeof scores !== 'object') {
      throw new InputError('weighting/ogm-ge needs context.modalityScores (per-modality confidence on the batch).');
    }
    if (!modalityVariables || typeof modalityVariables !== 'object') {
      throw new InputError("weighting/ogm-ge needs context.modalityVariables (each modality's encoder variables).");
    }
    for (const [m, s] of Object.entries(scores)) {
      if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
        throw new InputError(`weighting/ogm-ge: context.modalityScores.${m} must be a finite non-negative number, got ${s}.`);
      }
      if (!(m in modalityVariables)) {
        throw new InputError(`weighting/ogm-ge: context.modalityScores names '${m}', which has no entry in context.modalityVariables.`);
      }
    }
    return { scores, modalityVariables };
  }

  getState(): { random: number } {
    return { random: this.random.getState() };
  }

  setState(state: unknown): void {
    const value = checkStateObject(state, 'weighting/ogm-ge').random;
    if (typeof value !== 'number') throw new InputError('weighting/ogm-ge.setState: state.random must be a number.');
    this.random.setState(value);
  }
}

/** Unbiased standard deviation of all elements, as torch's `Tensor.std()`. */
function standardDeviation(g: tf.Tensor): number {
  if (g.size < 2) return 0;
  const values = g.dataSync();
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}
