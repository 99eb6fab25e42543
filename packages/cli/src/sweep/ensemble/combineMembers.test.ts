import { describe, expect, it } from 'vitest';
import { combineMembers } from './combineMembers.js';
import type { MemberPredictions } from './memberPredictions.js';

/** A member whose test (and validation) predictions are `rows`, for samples s0.. with classes `truth`. */
function member(id: string, rows: number[][], truth: number[], ids = rows.map((_, i) => `s${i}`)): MemberPredictions {
  const split = { probabilities: new Map(ids.map((s, i) => [s, rows[i]!])), truth: new Map(ids.map((s, i) => [s, truth[i]!])) };
  return { id, classes: ['a', 'b'], test: split, validation: split };
}

describe('combineMembers: the ensemble of a sweep\'s runs', () => {
  const truth = [0, 1, 1, 0];
  // Member a is right on s0, s1; member b on s2, s3. Averaging: s0 (0.9+0.4)/2 -> a, s1 (0.8+0.45) -> b, s2 (0.6+0.1) -> b, s3 (0.45+0.9) -> a.
  const a = member('a', [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.45, 0.55]], truth);
  const b = member('b', [[0.4, 0.6], [0.55, 0.45], [0.1, 0.9], [0.9, 0.1]], truth);

  it('averages probabilities, and scores each member on the same samples', () => {
    const result = combineMembers([a, b], 'average');
    expect(result).toMatchObject({ method: 'average', testSamples: 4, ensemble: { accuracy: 1, f1: 1 } });
    expect(result.members.map((m) => [m.id, m.accuracy])).toEqual([['a', 0.5], ['b', 0.5]]);
  });

  it('votes (ties to the lowest class) and stacks on the validation predictions', () => {
    // Votes: s0 a:0 b:1 -> tie -> 0; s1 1,0 -> 0; s2 0,1 -> 0; s3 1,0 -> 0.
    expect(combineMembers([a, b], 'vote').ensemble.accuracy).toBe(0.5);
    const stacked = combineMembers([a, b], 'stacking');
    expect(stacked.validationSamples).toBe(4);
    expect(stacked.ensemble.accuracy).toBeGreaterThanOrEqual(0.5);
  });

  it('refuses members without shared test samples or with other classes', () => {
    const elsewhere = member('c', [[0.5, 0.5]], [0], ['other']);
    expect(() => combineMembers([a, elsewhere], 'average')).toThrow(/share no test sample.*data.split.seed/);
    expect(() => combineMembers([a, { ...b, classes: ['x', 'y'] }], 'average')).toThrow(/must share their classes/);
    expect(() => combineMembers([a], 'average')).toThrow(/at least 2/);
  });
});
