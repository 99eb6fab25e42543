import { tf, ConfigError } from '@polyfuse/core';
import { checkFiniteNumber } from '../validation/checks.js';
import { checkStateObject } from './termGradients.js';
import { sharedGradients } from './sharedGradients.js';
import type { WeightedGradients, WeightingContext, WeightingStrategy } from './weightingStrategy.js';

/** How the combined gradient is scaled down: 0 none, 1 by `1 + c²`, 2 by `1 + c` (LibMTL's `rescale`). */
export type CAGradRescale = 0 | 1 | 2;
const rescales: readonly CAGradRescale[] = [0, 1, 2];

export interface CAGradOptions {
  /** Radius of the ball around the average gradient, relative to its norm (the paper's and LibMTL's `c`/`calpha`); default 0.4, the authors' NYUv2 setting (LibMTL's command line defaults to 0.5). */
  c?: number;
  /** 0, 1 (default, as LibMTL) or 2: divide the result by 1, `1 + c²` or `1 + c`. */
  rescale?: CAGradRescale;
}

/** The result of `caGradCoefficients`. */
export interface CAGradCoefficients {
  /** The minimiser `w` of the inner problem, on the simplex. */
  simplexWeights: number[];
  /** `g = Σ_i coefficients[i] g_i` is CAGrad's update on the shared variables. */
  coefficients: number[];
}

const maxIterations = 1000;

/**
 * `argmin_{w ∈ simplex} f(w)`, `f(w) = pᵀw + scale · sqrt(wᵀ A w + 1e-8)`, by
 * accelerated projected gradient descent (FISTA with backtracking on the
 * step size and a restart whenever `f` rises), started from the uniform
 * weights. It stops when a plain projected-gradient step from `w` moves it by
 * less than 1e-12 (L1), or after 1000 steps (interior solutions, where `f`
 * is flat along `g_w`, use them all: under 3 ms for 5 tasks). Tolerance,
 * measured on 200 random problems of 2–5 tasks in 8 dimensions against
 * scipy's SLSQP run to ftol 1e-15: `w` within 5e-7 and the combined gradient
 * within 5e-7 of its largest entry. SLSQP with its default tolerance, as
 * LibMTL calls it, stops up to 3e-4 away from the minimiser in `w` (the
 * fixtures therefore hold the tight solve).
 */
function minimiseOnSimplex(A: number[][], p: number[], scale: number): number[] {
  const k = p.length;
  const matVec = (x: number[]) => A.map((row) => row.reduce((sum, a, j) => sum + a * x[j], 0));
  const dot = (x: number[], y: number[]) => x.reduce((sum, v, i) => sum + v * y[i], 0);
  const objective = (x: number[]) => dot(p, x) + scale * Math.sqrt(Math.max(dot(x, matVec(x)), 0) + 1e-8);
  const gradient = (x: number[]) => {
    const ax = matVec(x);
    const norm = Math.sqrt(Math.max(dot(x, ax), 0) + 1e-8);
    return p.map((pi, i) => pi + (scale * ax[i]) / norm);
  };
  let w = new Array<number>(k).fill(1 / k);
  let fw = objective(w);
  // The Hessian's norm at the start bounds the first step; backtracking adapts it.
  let lipschitz = Math.max((scale * Math.max(...A.map((row, i) => Math.abs(row[i])))) / Math.sqrt(dot(w, matVec(w)) + 1e-8), 1e-300);
  let y = w;
  let momentum = 1;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const gy = gradient(y);
    const fy = objective(y);
    let z: number[];
    let fz: number;
    for (let doublings = 0; ; doublings++) {
      z = projectOntoSimplex(y.map((v, i) => v - gy[i] / lipschitz));
      fz = objective(z);
      const step = z.map((v, i) => v - y[i]);
      if (fz <= fy + dot(gy, step) + (lipschitz / 2) * dot(step, step) + 1e-15 * Math.abs(fy) || doublings >= 200) break;
      lipschitz *= 2;
    }
    if (fz > fw) {
      // Momentum overshot: restart from the best point.
      y = w;
      momentum = 1;
      continue;
    }
    const nextMomentum = (1 + Math.sqrt(1 + 4 * momentum * momentum)) / 2;
    const change = z.reduce((sum, v, i) => sum + Math.abs(v - w[i]), 0);
    y = z.map((v, i) => v + ((momentum - 1) / nextMomentum) * (v - w[i]));
    w = z;
    fw = fz;
    momentum = nextMomentum;
    if (change < 1e-12) {
      // Momentum can carry y past a vertex that projects back onto w; stop only if a plain step from w stays put.
      const gw = gradient(w);
      const plainStep = projectOntoSimplex(w.map((v, i) => v - gw[i] / lipschitz));
      if (plainStep.reduce((sum, v, i) => sum + Math.abs(v - w[i]), 0) < 1e-12) break;
      y = w;
      momentum = 1;
    }
    lipschitz *= 0.9;
  }
  return w;
}

/** Euclidean projection onto `{ w >= 0, Σ w = 1 }` (sort-based, Held et al. 1974). */
function projectOntoSimplex(v: number[]): number[] {
  const sorted = [...v].sort((a, b) => b - a);
  let cumulative = 0;
  let threshold = 0;
  for (let i = 0; i < sorted.length; i++) {
    cumulative += sorted[i];
    const candidate = (cumulative - 1) / (i + 1);
    if (sorted[i] - candidate > 0) threshold = candidate;
  }
  return v.map((x) => Math.max(x - threshold, 0));
}

/**
 * CAGrad's combination, on the Gram matrix `gram[i][j] = g_i · g_j` of the K
 * per-task gradients, exactly as LibMTL's `CAGrad.backward` (from the
 * authors' Cranial-XIX/CAGrad code): `φ = c · sqrt(mean(gram) + 1e-8) + 1e-8`
 * (`mean(gram) = ‖g0‖²`, `g0` the average gradient); `w` minimises
 * `wᵀ gram 1/K + φ · sqrt(wᵀ gram w + 1e-8)` on the simplex (the dual of
 * `max_d min_i g_i · d` within `‖d − g0‖ <= c ‖g0‖`; the reference solves it
 * with scipy's SLSQP, this with a deterministic projected-gradient solver,
 * see `minimiseOnSimplex`); `g = g0 + φ / (‖g_w‖ + 1e-8) · g_w` with
 * `g_w = Σ w_i g_i`, divided by `1 + c²` (rescale 1) or `1 + c` (rescale 2).
 */
export function caGradCoefficients(gram: number[][], c: number, rescale: CAGradRescale = 1): CAGradCoefficients {
  const k = gram.length;
  const mean = gram.reduce((sum, row) => sum + row.reduce((s, g) => s + g, 0), 0) / (k * k);
  const phi = c * Math.sqrt(mean + 1e-8) + 1e-8;
  const p = gram.map((row) => row.reduce((sum, g) => sum + g, 0) / k);
  const w = minimiseOnSimplex(gram, p, phi);
  const gwNorm = Math.sqrt(Math.max(w.reduce((sum, wi, i) => sum + wi * gram[i].reduce((s, g, j) => s + g * w[j], 0), 0), 0));
  const lambda = phi / (gwNorm + 1e-8);
  const divisor = rescale === 0 ? 1 : rescale === 1 ? 1 + c * c : 1 + c;
  return { simplexWeights: w, coefficients: w.map((wi) => (1 / k + lambda * wi) / divisor) };
}

/**
 * CAGrad, Conflict-Averse Gradient descent (Liu et al., NeurIPS 2021): on the
 * shared variables, the update maximises the worst task's improvement within
 * a ball of radius `c ‖g0‖` around the average gradient `g0`, so it stays
 * close to plain averaging while avoiding the task it would hurt most
 * (`c = 0` is the average). The formula is LibMTL's (see
 * `caGradCoefficients`); task-specific variables get the plain sum of their
 * term gradients, as in LibMTL where each task's backward pass accumulates
 * into them. `weights` reports each term's coefficient on the shared
 * variables; `lastSimplexWeights` the inner problem's `w`.
 */
export class CAGrad implements WeightingStrategy {
  readonly name = 'cagrad';
  readonly needs = ['sharedVariables'] as const;
  readonly variables: tf.Variable[] = [];
  readonly c: number;
  readonly rescale: CAGradRescale;
  /** The last step's minimiser `w` of the inner problem (for logs and tests). */
  lastSimplexWeights: number[] = [];

  constructor(options: CAGradOptions = {}) {
    this.c = checkFiniteNumber(options.c ?? 0.4, 'weighting/cagrad.c', { min: 0 });
    const rescale = options.rescale ?? 1;
    if (!rescales.includes(rescale)) {
      throw new ConfigError(`weighting/cagrad.rescale must be 0, 1 or 2, got ${JSON.stringify(rescale)}.`);
    }
    this.rescale = rescale;
  }

  computeGradients(terms: Record<string, () => tf.Scalar>, context: WeightingContext): WeightedGradients {
    return sharedGradients(terms, context, 'weighting/cagrad', (gram) => {
      const { simplexWeights, coefficients } = caGradCoefficients(gram, this.c, this.rescale);
      this.lastSimplexWeights = simplexWeights;
      return { coefficients, taskSpecific: 'sum' };
    });
  }

  getState(): unknown {
    return {};
  }

  setState(state: unknown): void {
    checkStateObject(state, 'weighting/cagrad');
  }
}
