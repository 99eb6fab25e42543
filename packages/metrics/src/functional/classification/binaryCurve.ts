import { sortByLabel } from './sortByLabel.js';

/**
 * Cumulative counts at each distinct score threshold, highest threshold
 * first. The arrays are views of a scratch buffer that the next
 * `binaryCurve` call overwrites: read them before calling it again.
 */
export interface BinaryCurve {
  /** False positives with score >= threshold. */
  fps: Float64Array;
  /** True positives with score >= threshold. */
  tps: Float64Array;
  /** Free scratch of the same length, for the caller's per-point terms. */
  work: Float64Array;
}

/**
 * scikit-learn 1.2 `_binary_clf_curve` without sample weights: one point per
 * distinct score (ties grouped by exact equality, so -0 and 0 are one
 * threshold), thresholds descending. `positive[i]` is 1 for a positive
 * sample and 0 for a negative one; scores must be finite.
 *
 * The counts are integers, so any exact sort gives scikit-learn's points bit
 * for bit. The scores are split by label, sorted together with their labels
 * by a radix sort (`sortByLabel`: linear time whatever their spread; a
 * comparison sort was most of the time on large inputs), and counted in one
 * pass over the sorted labels.
 */
export function binaryCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): BinaryCurve {
  const n = scores.length;
  // [0, n): positive scores from the front, negative ones from the back; [n, 2n): scratch;
  // [2n, 3n + 1): the sorted scores and a NaN sentinel. Then fps and tps take the first two.
  const buffer = scratch(3 * n + 1);
  const labels = labelScratch(n);
  const { nPos, min, max } = splitByLabel(positive, scores, buffer);
  const sorted = buffer.subarray(2 * n, 3 * n + 1);
  if (n > 0) sortByLabel(buffer.subarray(0, n), nPos, buffer.subarray(n, 2 * n), sorted.subarray(0, n), labels, min, max);
  sorted[n] = NaN;
  const fps = buffer.subarray(0, n);
  const tps = buffer.subarray(n, 2 * n);
  const k = countPoints(sorted, labels, n, fps, tps);
  return { fps: fps.subarray(0, k), tps: tps.subarray(0, k), work: sorted.subarray(0, k) };
}

/**
 * Copies the positive scores to `buffer[0, nPos)` and the negative ones to
 * `buffer[nPos, n)` (in reverse), and finds their range. Branch-free on the
 * labels, which are unpredictable: each score is written at both free ends
 * (slot p < n - 1 - q or the same one) and one end advances. The range
 * updates are branches, rarely taken (`Math.min` and `Math.max` cost more:
 * they handle NaN and -0). Four scores per iteration share V8's array checks
 * (the odd one to three go first, as in `sortByLabel.ts`).
 */
function splitByLabel(positive: ArrayLike<number>, scores: ArrayLike<number>, buffer: Float64Array): { nPos: number; min: number; max: number } {
  const n = scores.length;
  const last = n - 1;
  let nPos = 0;
  let min = Infinity;
  let max = -Infinity;
  let i = 0;
  for (const head = n & 3; i < head; i++) {
    const v = scores[i];
    buffer[nPos] = v;
    buffer[last - i + nPos] = v;
    nPos += positive[i] | 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  for (; i < n; i += 4) {
    const v0 = scores[i];
    const v1 = scores[i + 1];
    const v2 = scores[i + 2];
    const v3 = scores[i + 3];
    const p0 = positive[i] | 0;
    const p1 = positive[i + 1] | 0;
    const p2 = positive[i + 2] | 0;
    const p3 = positive[i + 3] | 0;
    buffer[nPos] = v0;
    buffer[last - i + nPos] = v0;
    nPos += p0;
    buffer[nPos] = v1;
    buffer[last - i - 1 + nPos] = v1;
    nPos += p1;
    buffer[nPos] = v2;
    buffer[last - i - 2 + nPos] = v2;
    nPos += p2;
    buffer[nPos] = v3;
    buffer[last - i - 3 + nPos] = v3;
    nPos += p3;
    if (v0 < min) min = v0;
    if (v0 > max) max = v0;
    if (v1 < min) min = v1;
    if (v1 > max) max = v1;
    if (v2 < min) min = v2;
    if (v2 > max) max = v2;
    if (v3 < min) min = v3;
    if (v3 > max) max = v3;
  }
  return { nPos, min, max };
}

/**
 * Cumulative counts over the sorted scores: after each score the counts so
 * far are written at point k, and k advances when the next score differs
 * (the NaN at `sorted[n]` differs from all), so ties make one point. No
 * branch on the data (`Number(a !== b)` compiles to a flag, `? 1 : 0` to a
 * jump that ties would mispredict); four scores per iteration (after the odd
 * one to three) share V8's array checks.
 */
function countPoints(sorted: Float64Array, labels: Uint8Array, n: number, fps: Float64Array, tps: Float64Array): number {
  let tp = 0;
  let k = 0;
  let i = 0;
  for (const head = n & 3; i < head; i++) {
    tp += labels[i];
    tps[k] = tp;
    fps[k] = i + 1 - tp;
    k += Number(sorted[i + 1] !== sorted[i]);
  }
  for (; i < n; i += 4) {
    const v0 = sorted[i];
    const v1 = sorted[i + 1];
    const v2 = sorted[i + 2];
    const v3 = sorted[i + 3];
    const v4 = sorted[i + 4];
    tp += labels[i];
    tps[k] = tp;
    fps[k] = i + 1 - tp;
    k += Number(v1 !== v0);
    tp += labels[i + 1];
    tps[k] = tp;
    fps[k] = i + 2 - tp;
    k += Number(v2 !== v1);
    tp += labels[i + 2];
    tps[k] = tp;
    fps[k] = i + 3 - tp;
    k += Number(v3 !== v2);
    tp += labels[i + 3];
    tps[k] = tp;
    fps[k] = i + 4 - tp;
    k += Number(v4 !== v3);
  }
  return k;
}

// Scratch buffers for all calls, held weakly: repeated calls (a metric per label, a benchmark)
// skip allocating and page-faulting tens of megabytes, and the garbage collector may still
// reclaim them between calls.
let scratchRef: WeakRef<Float64Array> | undefined;
let labelsRef: WeakRef<Uint8Array> | undefined;

function scratch(length: number): Float64Array {
  let buffer = scratchRef?.deref();
  if (buffer === undefined || buffer.length < length) {
    buffer = new Float64Array(length);
    scratchRef = new WeakRef(buffer);
  }
  return buffer;
}

function labelScratch(length: number): Uint8Array {
  let buffer = labelsRef?.deref();
  if (buffer === undefined || buffer.length < length) {
    buffer = new Uint8Array(length);
    labelsRef = new WeakRef(buffer);
  }
  return buffer;
}
