import { binadeQuantum, equalizeBinades, HIGH_WORD, linearQuantum, linearScale, prefersBitPattern } from './scoreQuanta.js';

/** Segments up to this size are insertion-sorted. */
const SMALL = 16;
/** Re-sorts of crowded quanta before a segment falls back to the native sort. */
const MAX_DEPTH = 4;
/** Radix digits of up to 11 bits. */
const DIGIT = 11;
const RADIX = 1 << DIGIT;
/**
 * At most 2²¹ quanta, so at most two passes; below the cap, four to eight
 * quanta per score (2 ^ (bit length of m + 2)). Fewer leave more scores
 * sharing a quantum for the fix-up; 2²² with 12-bit digits was no faster on
 * 1M scores, its 4,096-way scatter being slower.
 */
const MAX_BITS = 21;
/** How far the fix-up moves one score back before it leaves the segment to `sortCrowdedRuns`. */
const REACH = 32;
/** Running offsets: [0, R) low digits of positives, [R, 2R) of negatives, [2R, 3R) high digits of both. */
const offsets = new Int32Array(3 * RADIX);
/** Where the low-digit buckets of pass 1 start: positives [0, R], negatives [R + 1, 2R + 1]. */
const bounds = new Int32Array(2 * RADIX + 2);

/**
 * Sorts scores with their labels, descending: `split[0, nPos)` holds the
 * positive scores and `split[nPos, m)` the negative ones, `min` and `max`
 * their range. Writes the scores in order to `out[0, m)` and their labels
 * (1 positive, 0 negative) to `labels[0, m)`; `split` and `tmp` (as long)
 * are scratch.
 *
 * An LSD radix sort on quanta, `scoreQuanta.ts`'s monotone maps of scores to
 * at most 2²¹ integers, which is linear and does not depend on how the
 * scores are spread. The first pass sorts each label on the low digit; the
 * second walks those buckets in order, positives then negatives, and
 * scatters on the high digit, writing the label: the labels ride along
 * without being read back, and no merge of the two labels is needed after.
 * Scores sharing a quantum are then put in order by an insertion sort over
 * the whole output, which only moves a score within its quantum. Where a
 * quantum holds many scores, those runs are sorted again on their own range,
 * and past `MAX_DEPTH` levels with the native sort.
 */
export function sortByLabel(
  split: Float64Array,
  nPos: number,
  tmp: Float64Array,
  out: Float64Array,
  labels: Uint8Array,
  min: number,
  max: number,
  depth = 0,
): void {
  const m = split.length;
  if (m <= SMALL || min === max) {
    out.set(split);
    labels.fill(1, 0, nPos).fill(0, nPos, m);
    if (min !== max) insertionSort(out, labels, 0, m);
    return;
  }
  const bits = Math.min(MAX_BITS, 34 - Math.clz32(m));
  const quanta = 2 ** bits;
  const scale = linearScale(min, max, quanta);
  const words = new Uint32Array(split.buffer, split.byteOffset, 2 * m);
  // The bit-pattern map keeps its tables in scoreQuanta.ts, which a nested call would overwrite
  // while `sortCrowdedRuns` still reads them: only the top level uses it.
  const byBits = depth === 0 && prefersBitPattern(split, m, max, scale, quanta);
  if ((!byBits && scale === 0) || depth >= MAX_DEPTH) {
    nativeSort(split, nPos, out, labels);
    return;
  }
  if (byBits) equalizeBinades(words, m, quanta);
  const twoPasses = bits > DIGIT;
  const lowBits = twoPasses ? bits >>> 1 : bits;
  const lowMask = (1 << lowBits) - 1;
  offsets.fill(0);
  countDigits(split, words, 0, nPos, 0, lowMask, lowBits, byBits, max, scale);
  countDigits(split, words, nPos, m, RADIX, lowMask, lowBits, byBits, max, scale);
  if (twoPasses) {
    let start = 0;
    for (let d = 0; d < RADIX; d++) {
      const count = offsets[d];
      offsets[d] = bounds[d] = start;
      start += count;
    }
    bounds[RADIX] = start;
    for (let d = 0; d < RADIX; d++) {
      const count = offsets[RADIX + d];
      offsets[RADIX + d] = bounds[RADIX + 1 + d] = start;
      start += count;
    }
    bounds[2 * RADIX + 1] = start;
    start = 0;
    for (let d = 2 * RADIX; d < 3 * RADIX; d++) {
      const count = offsets[d];
      offsets[d] = start;
      start += count;
    }
    scatter(split, words, 0, nPos, tmp, 0, lowMask, byBits, max, scale);
    scatter(split, words, nPos, m, tmp, RADIX, lowMask, byBits, max, scale);
    const tmpWords = new Uint32Array(tmp.buffer, tmp.byteOffset, 2 * m);
    for (let d = 0; d < RADIX; d++) {
      scatterLabelled(tmp, tmpWords, bounds[d], bounds[d + 1], out, labels, 1, 2 * RADIX, lowBits, RADIX - 1, byBits, max, scale);
      scatterLabelled(tmp, tmpWords, bounds[RADIX + 1 + d], bounds[RADIX + 2 + d], out, labels, 0, 2 * RADIX, lowBits, RADIX - 1, byBits, max, scale);
    }
  } else {
    // One pass on the whole quantum: each quantum's positives, then its negatives.
    let start = 0;
    for (let d = 0; d < RADIX; d++) {
      const nPositive = offsets[d];
      const nNegative = offsets[RADIX + d];
      offsets[d] = start;
      offsets[RADIX + d] = start + nPositive;
      start += nPositive + nNegative;
    }
    scatterLabelled(split, words, 0, nPos, out, labels, 1, 0, 0, lowMask, byBits, max, scale);
    scatterLabelled(split, words, nPos, m, out, labels, 0, RADIX, 0, lowMask, byBits, max, scale);
  }
  if (!fixUp(out, labels, m)) sortCrowdedRuns(out, labels, split, tmp, byBits, max, scale, depth);
}

/** Quantum of `values[i]` (high word at `words[2i + HIGH_WORD]`) under the map in use. */
function quantumAt(values: Float64Array, words: Uint32Array, i: number, byBits: boolean, max: number, scale: number): number {
  return byBits ? binadeQuantum(words[2 * i + HIGH_WORD]) : linearQuantum(values[i], max, scale);
}

// The loops below take four scores per iteration: V8 checks each typed array again at every
// iteration of a loop, and four scores share one round of checks (1.5–2× faster). The odd
// one to three scores go first, one at a time: V8 compiles a long loop while it runs, and a
// loop after it that had not run yet then sent every later call back to the interpreter there
// (9 ms instead of 3.4 ms to count the digits of the multilabel benchmark). Each unrolled loop is
// written out once per map: a shared helper choosing the map per score costs a third more, as V8
// then stops inlining part of the calls.

/** Counts the low digits of `values[lo, hi)` at `offsets[lowBase …]` and their high digits at `offsets[2R …]`. */
function countDigits(
  values: Float64Array, words: Uint32Array, lo: number, hi: number, lowBase: number,
  lowMask: number, lowBits: number, byBits: boolean, max: number, scale: number,
): void {
  const highBase = 2 * RADIX;
  let i = lo;
  for (const head = lo + ((hi - lo) & 3); i < head; i++) {
    const q = quantumAt(values, words, i, byBits, max, scale);
    offsets[lowBase + (q & lowMask)]++;
    offsets[highBase + (q >>> lowBits)]++;
  }
  if (byBits) {
    for (; i < hi; i += 4) {
      const q0 = binadeQuantum(words[2 * i + HIGH_WORD]);
      const q1 = binadeQuantum(words[2 * i + 2 + HIGH_WORD]);
      const q2 = binadeQuantum(words[2 * i + 4 + HIGH_WORD]);
      const q3 = binadeQuantum(words[2 * i + 6 + HIGH_WORD]);
      offsets[lowBase + (q0 & lowMask)]++;
      offsets[highBase + (q0 >>> lowBits)]++;
      offsets[lowBase + (q1 & lowMask)]++;
      offsets[highBase + (q1 >>> lowBits)]++;
      offsets[lowBase + (q2 & lowMask)]++;
      offsets[highBase + (q2 >>> lowBits)]++;
      offsets[lowBase + (q3 & lowMask)]++;
      offsets[highBase + (q3 >>> lowBits)]++;
    }
  } else {
    for (; i < hi; i += 4) {
      const q0 = linearQuantum(values[i], max, scale);
      const q1 = linearQuantum(values[i + 1], max, scale);
      const q2 = linearQuantum(values[i + 2], max, scale);
      const q3 = linearQuantum(values[i + 3], max, scale);
      offsets[lowBase + (q0 & lowMask)]++;
      offsets[highBase + (q0 >>> lowBits)]++;
      offsets[lowBase + (q1 & lowMask)]++;
      offsets[highBase + (q1 >>> lowBits)]++;
      offsets[lowBase + (q2 & lowMask)]++;
      offsets[highBase + (q2 >>> lowBits)]++;
      offsets[lowBase + (q3 & lowMask)]++;
      offsets[highBase + (q3 >>> lowBits)]++;
    }
  }
}

/** Pass 1: `values[lo, hi)` to `out`, stably by low digit, at the offsets from `offsets[base]`. */
function scatter(
  values: Float64Array, words: Uint32Array, lo: number, hi: number, out: Float64Array,
  base: number, mask: number, byBits: boolean, max: number, scale: number,
): void {
  let i = lo;
  for (const head = lo + ((hi - lo) & 3); i < head; i++) out[offsets[base + (quantumAt(values, words, i, byBits, max, scale) & mask)]++] = values[i];
  if (byBits) {
    for (; i < hi; i += 4) {
      const v0 = values[i];
      const v1 = values[i + 1];
      const v2 = values[i + 2];
      const v3 = values[i + 3];
      const q0 = binadeQuantum(words[2 * i + HIGH_WORD]);
      const q1 = binadeQuantum(words[2 * i + 2 + HIGH_WORD]);
      const q2 = binadeQuantum(words[2 * i + 4 + HIGH_WORD]);
      const q3 = binadeQuantum(words[2 * i + 6 + HIGH_WORD]);
      out[offsets[base + (q0 & mask)]++] = v0;
      out[offsets[base + (q1 & mask)]++] = v1;
      out[offsets[base + (q2 & mask)]++] = v2;
      out[offsets[base + (q3 & mask)]++] = v3;
    }
  } else {
    for (; i < hi; i += 4) {
      const v0 = values[i];
      const v1 = values[i + 1];
      const v2 = values[i + 2];
      const v3 = values[i + 3];
      out[offsets[base + (linearQuantum(v0, max, scale) & mask)]++] = v0;
      out[offsets[base + (linearQuantum(v1, max, scale) & mask)]++] = v1;
      out[offsets[base + (linearQuantum(v2, max, scale) & mask)]++] = v2;
      out[offsets[base + (linearQuantum(v3, max, scale) & mask)]++] = v3;
    }
  }
}

/** `values[lo, hi)`, all with `label`, to `out`, stably by digit `(q >>> shift) & mask`, at the offsets from `offsets[base]`. */
function scatterLabelled(
  values: Float64Array, words: Uint32Array, lo: number, hi: number, out: Float64Array, labels: Uint8Array, label: number,
  base: number, shift: number, mask: number, byBits: boolean, max: number, scale: number,
): void {
  let i = lo;
  for (const head = lo + ((hi - lo) & 3); i < head; i++) {
    const p = offsets[base + ((quantumAt(values, words, i, byBits, max, scale) >>> shift) & mask)]++;
    out[p] = values[i];
    labels[p] = label;
  }
  if (byBits) {
    for (; i < hi; i += 4) {
      const v0 = values[i];
      const v1 = values[i + 1];
      const v2 = values[i + 2];
      const v3 = values[i + 3];
      const q0 = binadeQuantum(words[2 * i + HIGH_WORD]);
      const q1 = binadeQuantum(words[2 * i + 2 + HIGH_WORD]);
      const q2 = binadeQuantum(words[2 * i + 4 + HIGH_WORD]);
      const q3 = binadeQuantum(words[2 * i + 6 + HIGH_WORD]);
      const p0 = offsets[base + ((q0 >>> shift) & mask)]++;
      out[p0] = v0;
      labels[p0] = label;
      const p1 = offsets[base + ((q1 >>> shift) & mask)]++;
      out[p1] = v1;
      labels[p1] = label;
      const p2 = offsets[base + ((q2 >>> shift) & mask)]++;
      out[p2] = v2;
      labels[p2] = label;
      const p3 = offsets[base + ((q3 >>> shift) & mask)]++;
      out[p3] = v3;
      labels[p3] = label;
    }
  } else {
    for (; i < hi; i += 4) {
      const v0 = values[i];
      const v1 = values[i + 1];
      const v2 = values[i + 2];
      const v3 = values[i + 3];
      const p0 = offsets[base + ((linearQuantum(v0, max, scale) >>> shift) & mask)]++;
      out[p0] = v0;
      labels[p0] = label;
      const p1 = offsets[base + ((linearQuantum(v1, max, scale) >>> shift) & mask)]++;
      out[p1] = v1;
      labels[p1] = label;
      const p2 = offsets[base + ((linearQuantum(v2, max, scale) >>> shift) & mask)]++;
      out[p2] = v2;
      labels[p2] = label;
      const p3 = offsets[base + ((linearQuantum(v3, max, scale) >>> shift) & mask)]++;
      out[p3] = v3;
      labels[p3] = label;
    }
  }
}

/**
 * Insertion sort of scores already in quantum order: a score only moves past
 * smaller ones, and every score in an earlier quantum is larger, so it never
 * leaves its quantum. Stops and returns false at the first score that had to
 * move more than `REACH` places (it is left part way: still a permutation,
 * still in quantum order): a crowded quantum, better sorted again than
 * insertion-sorted at a cost quadratic in its size.
 */
function fixUp(values: Float64Array, labels: Uint8Array, m: number): boolean {
  let previous = values[0];
  for (let i = 1; i < m; i++) {
    const v = values[i];
    if (v > previous) {
      const label = labels[i];
      const stop = Math.max(0, i - REACH);
      let j = i - 1;
      while (j >= stop && values[j] < v) {
        values[j + 1] = values[j];
        labels[j + 1] = labels[j];
        j--;
      }
      values[j + 1] = v;
      labels[j + 1] = label;
      if (j < stop && stop > 0) return false;
      previous = values[i];
    } else previous = v;
  }
  return true;
}

/**
 * Sorts again each run of `values` that shares a quantum and is out of order,
 * on the run's own range (one level deeper); `split` and `tmp` are free
 * scratch as long as `values`.
 */
function sortCrowdedRuns(
  values: Float64Array, labels: Uint8Array, split: Float64Array, tmp: Float64Array,
  byBits: boolean, max: number, scale: number, depth: number,
): void {
  const m = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * m);
  let start = 0;
  let quantum = quantumAt(values, words, 0, byBits, max, scale);
  for (let i = 1; i <= m; i++) {
    const q = i < m ? quantumAt(values, words, i, byBits, max, scale) : -1;
    if (q === quantum) continue;
    if (!isSortedDescending(values, start, i)) {
      if (i - start <= SMALL) insertionSort(values, labels, start, i);
      else {
        // Positives to the front of `split`, negatives to its back, as `sortByLabel` takes them.
        const r = i - start;
        let nPos = 0;
        let runMin = values[start];
        let runMax = runMin;
        for (let t = 0; t < r; t++) {
          const v = values[start + t];
          split[nPos] = v;
          split[r - 1 - t + nPos] = v;
          nPos += labels[start + t];
          runMin = Math.min(runMin, v);
          runMax = Math.max(runMax, v);
        }
        sortByLabel(split.subarray(0, r), nPos, tmp.subarray(0, r), values.subarray(start, i), labels.subarray(start, i), runMin, runMax, depth + 1);
      }
    }
    start = i;
    quantum = q;
  }
}

function isSortedDescending(values: Float64Array, lo: number, hi: number): boolean {
  for (let i = lo + 1; i < hi; i++) if (values[i] > values[i - 1]) return false;
  return true;
}

/** The native numeric sort of each label, reversed, then merged. */
function nativeSort(split: Float64Array, nPos: number, out: Float64Array, labels: Uint8Array): void {
  const m = split.length;
  const positives = split.subarray(0, nPos).sort().reverse();
  const negatives = split.subarray(nPos, m).sort().reverse();
  let i = 0;
  let j = 0;
  for (let t = 0; t < m; t++) {
    if (j === m - nPos || (i < nPos && positives[i] >= negatives[j])) {
      out[t] = positives[i++];
      labels[t] = 1;
    } else {
      out[t] = negatives[j++];
      labels[t] = 0;
    }
  }
}

function insertionSort(values: Float64Array, labels: Uint8Array, lo: number, hi: number): void {
  for (let j = lo + 1; j < hi; j++) {
    const v = values[j];
    const label = labels[j];
    let i = j - 1;
    while (i >= lo && values[i] < v) {
      values[i + 1] = values[i];
      labels[i + 1] = labels[i];
      i--;
    }
    values[i + 1] = v;
    labels[i + 1] = label;
  }
}
