/**
 * Correctly rounded sum of floats: Shewchuk's algorithm as in CPython's
 * `math.fsum`, used where a reference sums with `math.fsum`.
 */
export function fsum(values: Iterable<number>): number {
  const partials: number[] = [];
  for (let x of values) {
    let i = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  // Round the partials (largest last) exactly as CPython does.
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n];
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
    const y = lo * 2;
    const x = hi + y;
    const yr = x - hi;
    if (y === yr) hi = x;
  }
  return hi;
}

/**
 * Summation as numpy's `np.sum` / `np.add.reduce` does for contiguous float64
 * arrays, so sums and means agree with numpy to the last bit: from 0, add the
 * pairwise sum of each block of 8,192 elements (numpy's reduction buffer) in
 * order; within a block, pairwise with 8 accumulators below 128 elements.
 */
export function pairwiseSum(values: ArrayLike<number>, start = 0, end = values.length): number {
  let sum = 0;
  for (let block = start; block < end; block += NUMPY_BUFFER_SIZE) {
    sum += pairwiseBlock(values, block, Math.min(end, block + NUMPY_BUFFER_SIZE));
  }
  return sum;
}

/** numpy's default ufunc buffer size (`np.getbufsize()`): reductions see the array in chunks this long. */
const NUMPY_BUFFER_SIZE = 8192;

/** numpy's `pairwise_sum` for float64 (`loops_utils.h`). */
function pairwiseBlock(values: ArrayLike<number>, start: number, end: number): number {
  const n = end - start;
  if (n < 8) {
    let res = 0;
    for (let i = start; i < end; i++) res += values[i];
    return res;
  }
  if (n <= 128) {
    let r0 = values[start];
    let r1 = values[start + 1];
    let r2 = values[start + 2];
    let r3 = values[start + 3];
    let r4 = values[start + 4];
    let r5 = values[start + 5];
    let r6 = values[start + 6];
    let r7 = values[start + 7];
    let i = start + 8;
    for (; i < end - (n % 8); i += 8) {
      r0 += values[i];
      r1 += values[i + 1];
      r2 += values[i + 2];
      r3 += values[i + 3];
      r4 += values[i + 4];
      r5 += values[i + 5];
      r6 += values[i + 6];
      r7 += values[i + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < end; i++) res += values[i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseBlock(values, start, start + n2) + pairwiseBlock(values, start + n2, end);
}
