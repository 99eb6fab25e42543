import type { FrameMatrix } from '../sequences/frameMatrix.js';

export interface VarianceFloorOptions {
  /** Absolute lower bound on every variance. Default 1e-6. */
  varianceFloor?: number;
  /**
   * Lower bound as a fraction of the training data's variance in that
   * dimension (HTK's `HCompV -f`). Default 0.01.
   */
  relativeVarianceFloor?: number;
}

/**
 * The per-dimension variance floor `max(varianceFloor, relativeVarianceFloor *
 * var_d(all training frames))`. Floors keep a state that sees few frames from
 * collapsing onto them (a zero variance gives an infinite density).
 */
export function varianceFloorOf(observations: readonly FrameMatrix[], options: VarianceFloorOptions = {}): Float64Array {
  const { varianceFloor = 1e-6, relativeVarianceFloor = 0.01 } = options;
  const dim = observations[0]?.dim ?? 0;
  const floor = new Float64Array(dim).fill(varianceFloor);
  if (relativeVarianceFloor > 0 && dim > 0) {
    const variances = dataVariance(observations);
    for (let d = 0; d < dim; d++) floor[d] = Math.max(varianceFloor, relativeVarianceFloor * variances[d]!);
  }
  return floor;
}

/** Per-dimension variance of all frames of all observations (two passes, population variance). */
export function dataVariance(observations: readonly FrameMatrix[]): Float64Array {
  const dim = observations[0]?.dim ?? 0;
  const mean = new Float64Array(dim);
  let count = 0;
  for (const o of observations) {
    for (let i = 0; i < o.data.length; i++) mean[i % dim]! += o.data[i]!;
    count += o.frames;
  }
  for (let d = 0; d < dim; d++) mean[d]! /= Math.max(1, count);
  const variance = new Float64Array(dim);
  for (const o of observations) {
    for (let i = 0; i < o.data.length; i++) {
      const diff = o.data[i]! - mean[i % dim]!;
      variance[i % dim]! += diff * diff;
    }
  }
  for (let d = 0; d < dim; d++) variance[d]! /= Math.max(1, count);
  return variance;
}
