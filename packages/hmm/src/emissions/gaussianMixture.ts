import { InputError } from '@polyfuse/core';
import { DiagonalGaussian, GaussianAccumulator, MIN_FRAME_WEIGHT, MIN_OCCUPANCY, type DiagonalGaussianJson } from './diagonalGaussian.js';
import type { EmissionAccumulator, EmissionModel } from './emissionModel.js';

export interface GaussianMixtureJson {
  type: 'gaussian-mixture';
  weights: number[];
  components: DiagonalGaussianJson[];
}

/**
 * A mixture of diagonal Gaussians: `p(x) = sum_k w_k N(x; mean_k, diag var_k)`,
 * pomegranate 0.14's `GeneralMixtureModel` of independent-component normals.
 */
export class GaussianMixture implements EmissionModel {
  readonly type = 'gaussian-mixture' as const;
  readonly dim: number;
  readonly weights: Float64Array;
  readonly components: readonly DiagonalGaussian[];
  private readonly logWeights: Float64Array;
  private readonly scratch: Float64Array;

  /**
   * @param weights mixture weights, >= 0, summing to 1 (within 1e-6)
   * @param components one DiagonalGaussian per weight, all of the same dim
   */
  constructor(weights: ArrayLike<number>, components: readonly DiagonalGaussian[]) {
    if (components.length < 1) throw new InputError('GaussianMixture: needs at least one component.');
    if (weights.length !== components.length) throw new InputError(`GaussianMixture: ${weights.length} weights for ${components.length} components; they need one weight per component.`);
    this.dim = components[0]!.dim;
    components.forEach((c, k) => {
      if (c.dim !== this.dim) throw new InputError(`GaussianMixture: component ${k} has dim ${c.dim} but component 0 has ${this.dim}.`);
    });
    this.weights = Float64Array.from(weights);
    let total = 0;
    this.weights.forEach((w, k) => {
      if (!(w >= 0) || !Number.isFinite(w)) throw new InputError(`GaussianMixture: weight ${k} must be a finite number >= 0, got ${w}.`);
      total += w;
    });
    if (Math.abs(total - 1) > 1e-6) throw new InputError(`GaussianMixture: weights must sum to 1, got ${total}.`);
    this.components = components;
    this.logWeights = this.weights.map(Math.log);
    this.scratch = new Float64Array(components.length);
  }

  logDensity(data: Float64Array, offset: number): number {
    let max = -Infinity;
    for (let k = 0; k < this.components.length; k++) {
      const value = this.logWeights[k]! + this.components[k]!.logDensity(data, offset);
      this.scratch[k] = value;
      if (value > max) max = value;
    }
    if (max === -Infinity) return max;
    let sum = 0;
    for (let k = 0; k < this.components.length; k++) sum += Math.exp(this.scratch[k]! - max);
    return max + Math.log(sum);
  }

  /** Posterior probability of each component for one frame (writes into `out`). */
  responsibilities(data: Float64Array, offset: number, out = new Float64Array(this.components.length)): Float64Array {
    const total = this.logDensity(data, offset); // fills scratch with log w_k + log N_k
    for (let k = 0; k < this.components.length; k++) out[k] = total === -Infinity ? 1 / this.components.length : Math.exp(this.scratch[k]! - total);
    return out;
  }

  createAccumulator(): EmissionAccumulator {
    return new MixtureAccumulator(this);
  }

  toJSON(): GaussianMixtureJson {
    return { type: this.type, weights: Array.from(this.weights), components: this.components.map((c) => c.toJSON()) };
  }

  static fromJSON(json: GaussianMixtureJson): GaussianMixture {
    return new GaussianMixture(json.weights, json.components.map((c) => DiagonalGaussian.fromJSON(c)));
  }
}

/** Splits each frame's weight over the components by their responsibilities (EM for the mixture inside the state). */
class MixtureAccumulator implements EmissionAccumulator {
  totalWeight = 0;
  private readonly parts: GaussianAccumulator[];
  private readonly responsibilities: Float64Array<ArrayBuffer>;

  constructor(private readonly previous: GaussianMixture) {
    this.parts = previous.components.map((c) => c.createAccumulator());
    this.responsibilities = new Float64Array(previous.components.length);
  }

  add(data: Float64Array, offset: number, weight: number): void {
    if (weight < MIN_FRAME_WEIGHT) return;
    this.totalWeight += weight;
    this.previous.responsibilities(data, offset, this.responsibilities);
    for (let k = 0; k < this.parts.length; k++) this.parts[k]!.add(data, offset, weight * this.responsibilities[k]!);
  }

  estimate(varianceFloor: Float64Array): GaussianMixture {
    if (this.totalWeight < MIN_OCCUPANCY) return this.previous;
    const weights = this.parts.map((p) => p.totalWeight / this.totalWeight);
    return new GaussianMixture(weights, this.parts.map((p) => p.estimate(varianceFloor)));
  }
}
