import { tf, ConfigError } from '@polyfuse/core';
import { checkStateObject } from './termGradients.js';
import { sharedGradients } from './sharedGradients.js';
import type { WeightedGradients, WeightingContext, WeightingStrategy } from './weightingStrategy.js';

/** How gradients are normalised before the min-norm solve (Sener & Koltun's code: none, l2, loss, loss+). */
export type MgdaNormalisation = 'none' | 'l2' | 'loss' | 'loss+';
const normalisations: readonly MgdaNormalisation[] = ['none', 'l2', 'loss', 'loss+'];

export interface MgdaOptions {
  /** Gradient normalisation for the solver; default `'none'`. */
  normalisation?: MgdaNormalisation;
}

/**
 * The min-norm point of the convex hull of the gradients, given their Gram
 * matrix: `argmin_{α ∈ simplex} αᵀ G α`. Two gradients use the closed form;
 * more use Frank–Wolfe with exact line search (Sener & Koltun 2018,
 * Algorithm 2), started from the best pair, for up to 250 iterations or until
 * the step changes α by less than 1e-5.
 */
export function minNormCoefficients(gram: number[][]): number[] {
  const k = gram.length;
  if (k === 1) return [1];
  const pair = (i: number, j: number): { gamma: number; cost: number } => {
    // min_γ ‖γ g_i + (1 − γ) g_j‖²
    const denominator = gram[i][i] + gram[j][j] - 2 * gram[i][j];
    const gamma = denominator > 0 ? Math.min(1, Math.max(0, (gram[j][j] - gram[i][j]) / denominator)) : 0.5;
    const cost = gamma * gamma * gram[i][i] + 2 * gamma * (1 - gamma) * gram[i][j] + (1 - gamma) * (1 - gamma) * gram[j][j];
    return { gamma, cost };
  };
  let best = { i: 0, j: 1, ...pair(0, 1) };
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const candidate = pair(i, j);
      if (candidate.cost < best.cost) best = { i, j, ...candidate };
    }
  }
  const alpha = new Array<number>(k).fill(0);
  alpha[best.i] = best.gamma;
  alpha[best.j] = 1 - best.gamma;
  if (k === 2) return alpha;
  for (let iteration = 0; iteration < 250; iteration++) {
    const gAlpha = gram.map((row) => row.reduce((sum, g, m) => sum + g * alpha[m], 0));
    const t = gAlpha.indexOf(Math.min(...gAlpha));
    const vv = alpha.reduce((sum, a, m) => sum + a * gAlpha[m], 0);
    const vt = gAlpha[t];
    const tt = gram[t][t];
    // min_γ ‖γ v + (1 − γ) g_t‖²
    const denominator = vv + tt - 2 * vt;
    const gamma = denominator > 0 ? Math.min(1, Math.max(0, (tt - vt) / denominator)) : 1;
    let change = 0;
    for (let m = 0; m < k; m++) {
      const next = gamma * alpha[m] + (m === t ? 1 - gamma : 0);
      change += Math.abs(next - alpha[m]);
      alpha[m] = next;
    }
    if (change < 1e-5) break;
  }
  return alpha;
}

/**
 * MGDA (Sener & Koltun, "Multi-Task Learning as Multi-Objective
 * Optimization", NeurIPS 2018): the weights `α` are the min-norm point of the
 * convex hull of the terms' gradients on the shared variables, so
 * `d = Σ α_i g_i` is a common descent direction (`d · g_i >= ‖d‖²` for every
 * term with `α_i > 0`, and `d = 0` only at a Pareto-stationary point); the
 * model's gradient is `Σ α_i ∇L_i` over all variables, as in the authors'
 * code. This is MGDA on shared-parameter gradients; the paper's MGDA-UB
 * variant takes gradients with respect to the shared representation instead,
 * which the weighting contract does not expose — passing a small last shared
 * layer as `sharedVariables` gives a similar saving.
 */
export class Mgda implements WeightingStrategy {
  readonly name = 'mgda';
  readonly needs = ['sharedVariables'] as const;
  readonly variables: tf.Variable[] = [];
  readonly normalisation: MgdaNormalisation;

  constructor(options: MgdaOptions = {}) {
    const normalisation = options.normalisation ?? 'none';
    if (!normalisations.includes(normalisation)) {
      throw new ConfigError(
        `weighting/mgda.normalisation must be one of ${normalisations.map((n) => `'${n}'`).join(', ')}, got ${JSON.stringify(normalisation)}.`,
      );
    }
    this.normalisation = normalisation;
  }

  computeGradients(terms: Record<string, () => tf.Scalar>, context: WeightingContext): WeightedGradients {
    return sharedGradients(terms, context, 'weighting/mgda', (gram, names, losses) => {
      const scales = names.map((n, i) => this.scale(Math.sqrt(Math.max(gram[i]![i]!, 0)), losses[n]!));
      const normalised = gram.map((row, i) => row.map((g, j) => g / (scales[i]! * scales[j]!)));
      return { coefficients: minNormCoefficients(normalised), taskSpecific: 'same' };
    });
  }

  private scale(norm: number, loss: number): number {
    const tiny = 1e-12;
    switch (this.normalisation) {
      case 'none':
        return 1;
      case 'l2':
        return Math.max(norm, tiny);
      case 'loss':
        return Math.max(loss, tiny);
      case 'loss+':
        return Math.max(loss * norm, tiny);
    }
  }

  getState(): unknown {
    return {};
  }

  setState(state: unknown): void {
    checkStateObject(state, 'weighting/mgda');
  }
}
