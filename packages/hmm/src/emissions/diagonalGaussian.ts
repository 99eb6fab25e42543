import { InputError } from '@polyfuse/core';
import type { EmissionAccumulator, EmissionModel } from './emissionModel.js';

const LOG_2PI = Math.log(2 * Math.PI);
/** Below this total weight a state or component keeps its parameters (pomegranate 0.14's threshold). */
export const MIN_OCCUPANCY = 1e-8;
/**
 * Frames whose weight (state occupancy) is below this are not accumulated: in
 * a left-right model most frames have occupancies like 1e-40 in most states,
 * and skipping them changes a mean or variance by less than 1e-10 relative
 * while saving most of the re-estimation time.
 */
export const MIN_FRAME_WEIGHT = 1e-10;

export interface DiagonalGaussianJson {
  type: 'diagonal-gaussian';
  means: number[];
  variances: number[];
}

/**
 * A Gaussian with a diagonal covariance:
 * `log p(x) = -1/2 sum_d [log(2 pi var_d) + (x_d - mean_d)^2 / var_d]`,
 * i.e. pomegranate 0.14's `IndependentComponentsDistribution` of
 * `NormalDistribution`s (whose parameter is the std, here squared).
 */
export class DiagonalGaussian implements EmissionModel {
  readonly type = 'diagonal-gaussian' as const;
  readonly dim: number;
  readonly means: Float64Array;
  readonly variances: Float64Array;
  private readonly inverseVariances: Float64Array;
  private readonly logNormaliser: number;

  /**
   * @param means per-dimension means (length = dim >= 1)
   * @param variances per-dimension variances, each > 0
   */
  constructor(means: ArrayLike<number>, variances: ArrayLike<number>) {
    if (means.length < 1) throw new InputError('DiagonalGaussian: means must have at least one dimension.');
    if (variances.length !== means.length) {
      throw new InputError(`DiagonalGaussian: ${means.length} means but ${variances.length} variances; they need one per dimension.`);
    }
    this.dim = means.length;
    this.means = Float64Array.from(means);
    this.variances = Float64Array.from(variances);
    this.inverseVariances = new Float64Array(this.dim);
    let logDet = 0;
    for (let d = 0; d < this.dim; d++) {
      const v = this.variances[d]!;
      if (!(v > 0) || !Number.isFinite(v)) throw new InputError(`DiagonalGaussian: variance of dim ${d} must be a positive finite number, got ${v}.`);
      if (!Number.isFinite(this.means[d]!)) throw new InputError(`DiagonalGaussian: mean of dim ${d} must be finite, got ${this.means[d]}.`);
      this.inverseVariances[d] = 1 / v;
      logDet += Math.log(v);
    }
    this.logNormaliser = -0.5 * (this.dim * LOG_2PI + logDet);
  }

  logDensity(data: Float64Array, offset: number): number {
    let quadratic = 0;
    for (let d = 0; d < this.dim; d++) {
      const diff = data[offset + d]! - this.means[d]!;
      quadratic += diff * diff * this.inverseVariances[d]!;
    }
    return this.logNormaliser - 0.5 * quadratic;
  }

  createAccumulator(): GaussianAccumulator {
    return new GaussianAccumulator(this);
  }

  toJSON(): DiagonalGaussianJson {
    return { type: this.type, means: Array.from(this.means), variances: Array.from(this.variances) };
  }

  static fromJSON(json: DiagonalGaussianJson): DiagonalGaussian {
    return new DiagonalGaussian(json.means, json.variances);
  }
}

/**
 * Weighted count, sum and sum of squares per dimension. The variance is
 * `E[x^2] - E[x]^2` under the weights, as pomegranate computes it.
 */
export class GaussianAccumulator implements EmissionAccumulator {
  totalWeight = 0;
  private readonly sums: Float64Array;
  private readonly squares: Float64Array;

  constructor(private readonly previous: DiagonalGaussian | null, dim = previous?.dim ?? 0) {
    this.sums = new Float64Array(dim);
    this.squares = new Float64Array(dim);
  }

  add(data: Float64Array, offset: number, weight: number): void {
    if (weight < MIN_FRAME_WEIGHT) return;
    this.totalWeight += weight;
    for (let d = 0; d < this.sums.length; d++) {
      const x = data[offset + d]!;
      this.sums[d]! += weight * x;
      this.squares[d]! += weight * x * x;
    }
  }

  estimate(varianceFloor: Float64Array): DiagonalGaussian {
    if (this.totalWeight < MIN_OCCUPANCY) {
      if (this.previous) return this.previous;
      throw new InputError('DiagonalGaussian: cannot estimate a Gaussian from no frames (total weight 0).');
    }
    const dim = this.sums.length;
    const means = new Float64Array(dim);
    const variances = new Float64Array(dim);
    for (let d = 0; d < dim; d++) {
      const mean = this.sums[d]! / this.totalWeight;
      means[d] = mean;
      variances[d] = Math.max(this.squares[d]! / this.totalWeight - mean * mean, varianceFloor[d] ?? 0);
    }
    return new DiagonalGaussian(means, variances);
  }
}
