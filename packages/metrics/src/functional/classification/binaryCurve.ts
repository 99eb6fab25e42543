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
 * for bit. Positive and negative scores are sorted apart with a bucket sort
 * on score value (linear time on the score distributions met in practice;
 * a comparison sort was most of the time on large inputs) and merged.
 */
export function binaryCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): BinaryCurve {
  const n = scores.length;
  if (!warmedUp && n > 50_000) warmUp();
  // [0, n): positive scores from the front, negative ones from the back; [n, 2n + 2): both
  // sorted, each followed by a -Infinity sentinel; [2n + 2, 3n + 2): spare.
  const buffer = scratch(3 * n + 2);
  // Branch-free split (labels are unpredictable): each score is written at both free ends
  // (slot p < n - 1 - q or the same one) and one end advances.
  let nPos = 0;
  for (let i = 0, last = n - 1; i < n; i++) {
    const v = scores[i];
    const isPos = positive[i] | 0;
    buffer[nPos] = v;
    buffer[last - i + nPos] = v;
    nPos += isPos;
  }
  const nNeg = n - nPos;
  const pos = buffer.subarray(0, nPos);
  const neg = buffer.subarray(nPos, n);
  const sortedPos = buffer.subarray(n, n + 1 + nPos);
  const sortedNeg = buffer.subarray(n + 1 + nPos, 2 * n + 2);
  sortDescending(pos, sortedPos, 0, nPos, 0);
  sortDescending(neg, sortedNeg, 0, nNeg, 0);
  sortedPos[nPos] = -Infinity;
  sortedNeg[nNeg] = -Infinity;
  // The unsorted copies are free now: fps takes their place. One step per sample, taking the larger
  // head; a point is kept (k advances) when the next score differs, so ties make one point.
  const fps = buffer.subarray(0, n);
  const tps = buffer.subarray(2 * n + 2, 3 * n + 2);
  let i = 0;
  let j = 0;
  let k = 0;
  for (let t = 0; t < n; t++) {
    const a = sortedPos[i];
    const b = sortedNeg[j];
    const takePos = a >= b ? 1 : 0;
    i += takePos;
    j += 1 - takePos;
    fps[k] = j;
    tps[k] = i;
    k += Math.max(sortedPos[i], sortedNeg[j]) === Math.max(a, b) ? 0 : 1;
  }
  return { fps: fps.subarray(0, k), tps: tps.subarray(0, k), work: buffer.subarray(n, n + k) };
}

// One scratch buffer for all calls, held weakly: repeated calls (a metric per
// label, a benchmark) skip allocating and page-faulting tens of megabytes,
// and the garbage collector may still reclaim it between calls.
let scratchRef: WeakRef<Float64Array> | undefined;

function scratch(length: number): Float64Array {
  let buffer = scratchRef?.deref();
  if (buffer === undefined || buffer.length < length) {
    buffer = new Float64Array(length);
    scratchRef = new WeakRef(buffer);
  }
  return buffer;
}

let offsetsRef: WeakRef<Int32Array> | undefined;

/** Zeroed bucket offsets for the top-level passes (nested passes are small and allocate their own). */
function bucketOffsets(length: number, depth: number): Int32Array {
  if (depth > 0) return new Int32Array(length);
  let offsets = offsetsRef?.deref();
  if (offsets === undefined || offsets.length < length) {
    offsets = new Int32Array(length);
    offsetsRef = new WeakRef(offsets);
  } else offsets.fill(0, 0, length);
  return offsets;
}

/** Segments up to this size are insertion-sorted. */
const SMALL = 16;
/** Bucket passes before a segment falls back to the native sort. */
const MAX_DEPTH = 6;
/** Buckets by bit pattern: the top 16 bits (sign, exponent, 4 mantissa bits). */
const BIT_BUCKETS = 65536;

const bitsOfScore = new Float64Array(1);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const highWordOfScore = new Uint32Array(bitsOfScore.buffer, littleEndian ? 4 : 0, 1);

/**
 * Sorts `values[lo, hi)` descending into `out[lo, hi)`; `values` is
 * scratch afterwards. Bucket b holds the scores v with ⌊(max − v)·scale⌋ = b,
 * a non-increasing function of v (each floating-point step is monotone), so
 * the buckets in order, each sorted, are the sorted segment. When that puts
 * most scores in one bucket (scores over many orders of magnitude), the
 * buckets are the top 16 bits of the float64 instead, ordered as the values
 * (+0 and -0 in adjacent buckets). Buckets larger than `SMALL` are bucketed
 * again on their own range.
 */
function sortDescending(values: Float64Array, out: Float64Array, lo: number, hi: number, depth: number): void {
  const m = hi - lo;
  if (m <= SMALL) {
    out.set(values.subarray(lo, hi), lo);
    insertionSortDescending(out, lo, hi);
    return;
  }
  let min = values[lo];
  let max = min;
  for (let i = lo + 1; i < hi; i++) {
    const v = values[i];
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  if (min === max) {
    out.set(values.subarray(lo, hi), lo);
    return;
  }
  const range = max - min;
  let buckets = m >>> 2;
  const scale = buckets / range;
  if (!Number.isFinite(range) || !Number.isFinite(scale) || depth >= MAX_DEPTH) {
    nativeSortDescending(values, out, lo, hi);
    return;
  }
  // starts[b] is where bucket b begins (after the prefix sum); next[b] where its next score goes.
  let offsets = bucketOffsets(2 * buckets + 1, depth);
  let starts = offsets.subarray(0, buckets + 1);
  let last = buckets - 1;
  let largest = 0;
  // Scores over many orders of magnitude put most of a large segment in one linear bucket; a
  // sample of the segment tells so before a wasted counting pass over all of it.
  let byBits = m >= SAMPLED && mostlyOneBucket(values, lo, hi, max, scale, last);
  if (!byBits) {
    // 0 <= (max - v)·scale <= buckets (a little more after rounding), below 2³¹: `| 0` is the floor.
    for (let i = lo; i < hi; i++) {
      const b = ((max - values[i]) * scale) | 0;
      starts[(b < last ? b : last) + 1]++;
    }
    for (let b = 0; b < buckets; b++) {
      if (starts[b + 1] > largest) largest = starts[b + 1];
      starts[b + 1] += starts[b];
    }
    byBits = largest > m >>> 1;
  }
  if (byBits) {
    buckets = BIT_BUCKETS;
    offsets = bucketOffsets(2 * buckets + 1, depth);
    starts = offsets.subarray(0, buckets + 1);
    last = buckets - 1;
    for (let i = lo; i < hi; i++) starts[bitBucket(values[i]) + 1]++;
    largest = 0;
    for (let b = 0; b < buckets; b++) {
      if (starts[b + 1] > largest) largest = starts[b + 1];
      starts[b + 1] += starts[b];
    }
    if (largest === m) {
      nativeSortDescending(values, out, lo, hi);
      return;
    }
  }
  const next = offsets.subarray(buckets + 1, 2 * buckets + 1);
  next.set(starts.subarray(0, buckets));
  if (byBits) {
    for (let i = lo; i < hi; i++) {
      const v = values[i];
      out[lo + next[bitBucket(v)]++] = v;
    }
  } else {
    for (let i = lo; i < hi; i++) {
      const v = values[i];
      const b = ((max - v) * scale) | 0;
      out[lo + next[b < last ? b : last]++] = v;
    }
  }
  for (let b = 0; b < buckets; b++) {
    const a = lo + starts[b];
    const z = lo + starts[b + 1];
    if (z - a <= 1) continue;
    if (z - a <= SMALL) insertionSortDescending(out, a, z);
    else {
      // The input segment is free now: sort the bucket there and copy it back.
      sortDescending(out, values, a, z, depth + 1);
      out.set(values.subarray(a, z), a);
    }
  }
}

/** Segments from this size on are sampled before the linear bucket pass. */
const SAMPLED = 4096;
/** Scores sampled, evenly spaced over the segment. */
const SAMPLES = 64;

/**
 * Whether at least three quarters of an evenly spaced sample of
 * `values[lo, hi)` fall in one linear bucket. A sample is no proof: when it
 * says no, the counting pass still decides, so a wrong guess costs time,
 * never order.
 */
function mostlyOneBucket(values: Float64Array, lo: number, hi: number, max: number, scale: number, last: number): boolean {
  const step = Math.floor((hi - lo) / SAMPLES);
  const sampled = new Int32Array(SAMPLES);
  for (let s = 0; s < SAMPLES; s++) {
    const b = ((max - values[lo + s * step]) * scale) | 0;
    sampled[s] = b < last ? b : last;
  }
  sampled.sort();
  const crowd = (SAMPLES * 3) / 4;
  for (let s = 0; s + crowd - 1 < SAMPLES; s++) if (sampled[s] === sampled[s + crowd - 1]) return true;
  return false;
}

/** Bucket of a score by its top 16 bits, in descending order of value: 0 for the largest. */
function bitBucket(v: number): number {
  bitsOfScore[0] = v;
  const high = highWordOfScore[0] >>> 16;
  return high >= 0x8000 ? high : 0x7fff - high;
}

/** The native numeric sort, reversed. */
function nativeSortDescending(values: Float64Array, out: Float64Array, lo: number, hi: number): void {
  const segment = out.subarray(lo, hi);
  segment.set(values.subarray(lo, hi));
  segment.sort().reverse();
}

function insertionSortDescending(values: Float64Array, lo: number, hi: number): void {
  for (let j = lo + 1; j < hi; j++) {
    const v = values[j];
    let i = j - 1;
    while (i >= lo && values[i] < v) {
      values[i + 1] = values[i];
      i--;
    }
    values[i + 1] = v;
  }
}

// Before the first large sort, run every path of the sort once on 3,000 made-up scores (a few
// milliseconds). Otherwise V8 may optimize `sortDescending` on one kind of input (say,
// probabilities) and then deoptimize at every recursive call on another (scores over many
// orders of magnitude) that reaches a branch it had never seen: such inputs ran 2× slower.
let warmedUp = false;

function warmUp(): void {
  warmedUp = true;
  const n = 3000;
  const scores = new Float64Array(n);
  const positive = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = ((i * 2654435761) >>> 0) / 2 ** 32;
    positive[i] = i % 3 === 0 ? 1 : 0;
    scores[i] =
      i % 97 === 0 ? [0, -0, Number.MAX_VALUE, -Number.MAX_VALUE][i % 4] : i % 2 ? Math.round(u * 100) / 100 : (i % 5 ? 1 : -1) * Math.exp((u - 0.5) * 300);
  }
  binaryCurve(positive, scores);
  binaryCurve(positive, scores.map((v) => v / 1e300));
}
