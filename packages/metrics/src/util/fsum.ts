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
 * Pairwise summation as numpy's `np.sum` / `np.add.reduce` does for
 * contiguous float64 arrays (blocks of 8 accumulators below 128 elements),
 * so sums and means agree with numpy to the last bit.
 */
export function pairwiseSum(values: ArrayLike<number>, start = 0, end = values.length): number {
  const n = end - start;
  if (n < 8) {
    let res = 0;
    for (let i = start; i < end; i++) res += values[i];
    return res;
  }
  if (n <= 128) {
    const r = [values[start], values[start + 1], values[start + 2], values[start + 3], values[start + 4], values[start + 5], values[start + 6], values[start + 7]];
    let i = start + 8;
    for (; i < end - (n % 8); i += 8) {
      r[0] += values[i];
      r[1] += values[i + 1];
      r[2] += values[i + 2];
      r[3] += values[i + 3];
      r[4] += values[i + 4];
      r[5] += values[i + 5];
      r[6] += values[i + 6];
      r[7] += values[i + 7];
    }
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < end; i++) res += values[i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(values, start, start + n2) + pairwiseSum(values, start + n2, end);
}
