export type PadMode = 'reflect' | 'constant' | 'replicate';

/**
 * Index into a signal of length `n` for a position `i` that may lie outside
 * it: `reflect` mirrors without repeating the edge (numpy/torch `reflect`,
 * applied repeatedly for pads longer than the signal), `replicate` repeats the
 * edge sample, `constant` returns -1 (meaning zero).
 */
export function paddedIndex(i: number, n: number, mode: PadMode): number {
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return -1;
  if (mode === 'replicate' || n === 1) return i < 0 ? 0 : n - 1;
  const period = 2 * (n - 1);
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return j;
}
