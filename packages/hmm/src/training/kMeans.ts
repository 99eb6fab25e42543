import { InputError, type SeededRandom } from '@polyfuse/core';

export interface KMeansResult {
  /** `[k, dim]` row-major. */
  centroids: Float64Array;
  /** Cluster index per point. */
  assignments: Int32Array;
}

/**
 * Lloyd's k-means with k-means++ seeding, deterministic for a given `rng`
 * state. `points` is `[count, dim]` row-major. A cluster that empties is
 * re-seeded with the point farthest from its centroid.
 */
export function kMeans(points: Float64Array, dim: number, k: number, rng: SeededRandom, maxIterations = 25): KMeansResult {
  const count = Math.floor(points.length / dim);
  if (!Number.isInteger(k) || k < 1) throw new InputError(`kMeans: k must be a positive integer, got ${k}.`);
  if (count < k) throw new InputError(`kMeans: ${count} points are too few for ${k} clusters.`);
  const centroids = new Float64Array(k * dim);
  const distances = new Float64Array(count).fill(Infinity);
  const distance = (p: number, c: number) => {
    let sum = 0;
    for (let d = 0; d < dim; d++) {
      const diff = points[p * dim + d]! - centroids[c * dim + d]!;
      sum += diff * diff;
    }
    return sum;
  };
  // k-means++: each new centre drawn with probability proportional to the squared distance to the nearest centre so far.
  let chosen = rng.int(count);
  for (let c = 0; c < k; c++) {
    centroids.set(points.subarray(chosen * dim, (chosen + 1) * dim), c * dim);
    let total = 0;
    for (let p = 0; p < count; p++) {
      distances[p] = Math.min(distances[p]!, distance(p, c));
      total += distances[p]!;
    }
    if (c + 1 === k) break;
    if (total === 0) {
      chosen = rng.int(count);
      continue;
    }
    let target = rng.next() * total;
    chosen = count - 1;
    for (let p = 0; p < count; p++) {
      target -= distances[p]!;
      if (target < 0) {
        chosen = p;
        break;
      }
    }
  }
  const assignments = new Int32Array(count).fill(-1);
  const sums = new Float64Array(k * dim);
  const sizes = new Int32Array(k);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = 0;
    for (let p = 0; p < count; p++) {
      let best = 0;
      let bestDistance = Infinity;
      for (let c = 0; c < k; c++) {
        const dist = distance(p, c);
        if (dist < bestDistance) {
          bestDistance = dist;
          best = c;
        }
      }
      distances[p] = bestDistance;
      if (assignments[p] !== best) {
        assignments[p] = best;
        changed++;
      }
    }
    if (changed === 0 && iteration > 0) break;
    sums.fill(0);
    sizes.fill(0);
    for (let p = 0; p < count; p++) {
      const c = assignments[p]!;
      sizes[c]!++;
      for (let d = 0; d < dim; d++) sums[c * dim + d]! += points[p * dim + d]!;
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] === 0) {
        let farthest = 0;
        for (let p = 1; p < count; p++) if (distances[p]! > distances[farthest]!) farthest = p;
        centroids.set(points.subarray(farthest * dim, (farthest + 1) * dim), c * dim);
        distances[farthest] = 0;
        assignments[farthest] = c;
        continue;
      }
      for (let d = 0; d < dim; d++) centroids[c * dim + d] = sums[c * dim + d]! / sizes[c]!;
    }
  }
  return { centroids, assignments };
}
