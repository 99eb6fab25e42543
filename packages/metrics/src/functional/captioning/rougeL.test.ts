import { describe, expect, it } from 'vitest';
import { rougeL } from '../../index.js';

const f = (p: number, r: number) => ((1 + 1.2 ** 2) * p * r) / (r + 1.2 ** 2 * p);

// Hand-derived from coco-caption's Rouge (β = 1.2, max precision and max recall over references).
describe('rougeL', () => {
  it('uses the longest common subsequence', () => {
    // LCS("a b c d", "a c d e f") = "a c d": P = 3/4, R = 3/5.
    expect(rougeL(['a b c d'], [['a c d e f']]).score).toBeCloseTo(f(3 / 4, 3 / 5), 14);
  });

  it('takes the best precision and the best recall over references separately', () => {
    // Second reference "a b": LCS 2, P = 1/2, R = 1.
    expect(rougeL(['a b c d'], [['a c d e f', 'a b']]).score).toBeCloseTo(f(3 / 4, 1), 14);
  });

  it('averages over images and gives 0 without overlap', () => {
    const result = rougeL(['a b', 'x'], [['a b'], ['y']]);
    expect(result.scores).toEqual([1, 0]);
    expect(result.score).toBe(0.5);
  });
});
