import { describe, expect, it } from 'vitest';
import { pairwiseSum } from './fsum.js';

describe('pairwiseSum', () => {
  // np.sum of the same values with numpy 1.24: beyond 8,192 elements numpy sums blocks of 8,192
  // pairwise and adds the blocks in order, which changes the last bits.
  const values = Float64Array.from({ length: 20000 }, (_, i) => (((i * 7919) % 1000) / 7.0) * (i % 3 === 0 ? 1e-8 : 1.0));

  it('matches np.sum to the bit on one block and on several', () => {
    expect(pairwiseSum(values, 0, 8192)).toBe(389689.8590913643);
    expect(pairwiseSum(values)).toBe(951424.7190428957);
  });
});
