import type { DiagonalGaussianJson } from './diagonalGaussian.js';
import type { GaussianMixtureJson } from './gaussianMixture.js';

/** A state's output distribution over `dim`-dimensional frames. */
export interface EmissionModel {
  readonly type: 'diagonal-gaussian' | 'gaussian-mixture';
  readonly dim: number;
  /** `log p(frame)` for the frame at `data[offset .. offset + dim)`. */
  logDensity(data: Float64Array, offset: number): number;
  /** Collects weighted frames (a state's occupancies in Baum-Welch) for re-estimation. */
  createAccumulator(): EmissionAccumulator;
  toJSON(): EmissionJson;
}

/** Weighted sufficient statistics of one emission model. */
export interface EmissionAccumulator {
  /** Adds the frame at `data[offset ..]` with weight `weight` (>= 0). */
  add(data: Float64Array, offset: number, weight: number): void;
  /** Total weight added. */
  readonly totalWeight: number;
  /**
   * The maximum-likelihood model for the statistics, variances floored per
   * dimension at `varianceFloor`. Parts with (almost) no weight (< 1e-8) keep
   * their previous parameters, as pomegranate 0.14 does.
   */
  estimate(varianceFloor: Float64Array): EmissionModel;
}

export type EmissionJson = DiagonalGaussianJson | GaussianMixtureJson;
