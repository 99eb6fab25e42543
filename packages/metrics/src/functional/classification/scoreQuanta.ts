/**
 * Order-preserving maps from scores to integer quanta 0 … Q − 1, larger
 * scores to smaller quanta, for the radix sort in `sortByLabel`. A map only
 * has to be monotone: scores sharing a quantum are put in order afterwards,
 * so a poor map costs time, never order. Two maps, for two kinds of input:
 *
 * - linear in the value, ⌊(max − v)·scale⌋: scores spread evenly over their
 *   range (probabilities, logits);
 * - by bit pattern: each binade (sign and exponent) gets quanta in
 *   proportion to the scores it holds, linear in the top 20 mantissa bits
 *   within it: scores over many orders of magnitude, where the linear map
 *   would put nearly all of them in one quantum.
 */

/** Linear quantum of `v` for a segment with maximum `max`: ⌊(max − v)·scale⌋, `scale` from `linearScale`. */
export function linearQuantum(v: number, max: number, scale: number): number {
  return ((max - v) * scale) | 0;
}

/**
 * Scale that maps [min, max] onto quanta 0 … quanta − 1, or 0 when the range
 * or the scale is not finite (a range past `Number.MAX_VALUE`, or a
 * subnormal one).
 */
export function linearScale(min: number, max: number, quanta: number): number {
  const scale = (quanta - 1) / (max - min);
  return Number.isFinite(scale) ? scale : 0;
}

/**
 * The high 32 bits of a float64 as an unsigned key that falls as the value
 * rises: positive values have their 31 low bits flipped, negative ones are
 * left as they are (sign bit set, so after every positive). +0 and −0 get
 * adjacent keys, with no other value between them.
 */
export function descendingKey(highWord: number): number {
  return (highWord ^ (~(highWord >> 31) & 0x7fffffff)) >>> 0;
}

/** Binades: the top 12 bits of the key (sign and exponent). */
const BINADES = 4096;

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Index of a float64's high word in a `Uint32Array` over it: `2 * i + HIGH_WORD`. */
export const HIGH_WORD = littleEndian ? 1 : 0;
/** Four interleaved counts per binade: consecutive scores in one binade would otherwise wait on each other's increment. */
const binadeCounts = new Int32Array(4 * BINADES);
const binadeBase = new Float64Array(BINADES);
const binadeScale = new Float64Array(BINADES);

/** Quantum of a score's high word under the map last built by `equalizeBinades`. */
export function binadeQuantum(highWord: number): number {
  const key = descendingKey(highWord);
  const b = key >>> 20;
  return (binadeBase[b] + (key & 0xfffff) * binadeScale[b]) | 0;
}

/**
 * Builds the map of `binadeQuantum` for the scores whose high words are
 * `highWords[2i + HIGH_WORD]`, i < m (a `Uint32Array` over a
 * `Float64Array`). Binade b starts at quantum Σ_{c<b} w_c, where w_c is its
 * share of `quanta − 1`; the bounds are summed in floating point, and the
 * sums only grow, so the map stays monotone across binades.
 */
export function equalizeBinades(highWords: Uint32Array, m: number, quanta: number): void {
  binadeCounts.fill(0);
  let i = 0;
  for (const head = m & 3; i < head; i++) binadeCounts[descendingKey(highWords[2 * i + HIGH_WORD]) >>> 20]++;
  for (; i < m; i += 4) {
    binadeCounts[descendingKey(highWords[2 * i + HIGH_WORD]) >>> 20]++;
    binadeCounts[BINADES + (descendingKey(highWords[2 * i + 2 + HIGH_WORD]) >>> 20)]++;
    binadeCounts[2 * BINADES + (descendingKey(highWords[2 * i + 4 + HIGH_WORD]) >>> 20)]++;
    binadeCounts[3 * BINADES + (descendingKey(highWords[2 * i + 6 + HIGH_WORD]) >>> 20)]++;
  }
  const perScore = (quanta - 1) / m;
  let base = 0;
  for (let b = 0; b < BINADES; b++) {
    const count = binadeCounts[b] + binadeCounts[BINADES + b] + binadeCounts[2 * BINADES + b] + binadeCounts[3 * BINADES + b];
    const width = count * perScore;
    binadeBase[b] = base;
    binadeScale[b] = width / 0x100000;
    base += width;
  }
}

/** Scores sampled, evenly spaced, to choose a map. */
const SAMPLES = 64;
const sampled = new Int32Array(SAMPLES);
const bits = new Float64Array(1);
const highWordOfBits = new Uint32Array(bits.buffer, 4 * HIGH_WORD, 1);

/**
 * Whether the bit-pattern map suits `values[0, m)` better than the linear
 * one with `scale`: it does when, on a sample, fewer scores share a quantum.
 * The bit-pattern map is judged linear in the key here (its binades are not
 * counted yet), which only underrates it where binades are empty.
 */
export function prefersBitPattern(values: Float64Array, m: number, max: number, scale: number, quanta: number): boolean {
  if (scale === 0) return true;
  const step = m / SAMPLES;
  const keyMin = keyOf(max);
  let keyMax = keyMin;
  for (let s = 0; s < SAMPLES; s++) keyMax = Math.max(keyMax, keyOf(values[Math.floor(s * step)]));
  if (keyMax === keyMin) return false;
  const keyScale = (quanta - 1) / (keyMax - keyMin);
  for (let s = 0; s < SAMPLES; s++) sampled[s] = linearQuantum(values[Math.floor(s * step)], max, scale);
  const shared = sharedQuanta();
  for (let s = 0; s < SAMPLES; s++) sampled[s] = ((keyOf(values[Math.floor(s * step)]) - keyMin) * keyScale) | 0;
  return sharedQuanta() < shared;
}

function keyOf(v: number): number {
  bits[0] = v;
  return descendingKey(highWordOfBits[0]);
}

/** Sampled scores that share a quantum with the one before them, once sorted. */
function sharedQuanta(): number {
  sampled.sort();
  let shared = 0;
  for (let s = 1; s < SAMPLES; s++) shared += Number(sampled[s] === sampled[s - 1]);
  return shared;
}
