import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@polyfuse/core';
import { StackingMetaLearner } from './stackingMetaLearner.js';
import { averagePredictions, bootstrapBags, majorityVote } from './bagging.js';

describe('stacking meta-learner', () => {
  it('learns which modality to trust from held-out predictions', () => {
    // Image predictions are right 90% of the time, audio predictions are noise.
    const random = new SeededRandom(1);
    const labels = Array.from({ length: 200 }, () => random.int(2));
    const image = labels.map((l) => (random.next() < 0.9 ? (l === 0 ? [0.8, 0.2] : [0.2, 0.8]) : l === 0 ? [0.2, 0.8] : [0.8, 0.2]));
    const audio = labels.map(() => (random.next() < 0.5 ? [0.8, 0.2] : [0.2, 0.8]));
    const learner = StackingMetaLearner.fit({ image, audio }, labels);
    const w = learner.state.weights;
    // Weight of image's class-1 score on class 1 minus on class 0 dominates audio's.
    expect(w[1][1] - w[1][0]).toBeGreaterThan(5 * Math.abs(w[3][1] - w[3][0]));
    const predicted = learner.predict({ image, audio });
    expect(predicted.filter((p, i) => p === labels[i]).length / labels.length).toBeGreaterThan(0.85);
    const restored = StackingMetaLearner.fromJSON(JSON.parse(JSON.stringify(learner)));
    expect(restored.predictProba({ image, audio })).toEqual(learner.predictProba({ image, audio }));
    expect(() => learner.predict({ image })).toThrow(/audio/);
  });
});

describe('bagging', () => {
  it('draws seeded bootstrap bags with their out-of-bag samples', () => {
    const { inBag, outOfBag } = bootstrapBags(100, 3, 7);
    expect(inBag).toHaveLength(3);
    expect(inBag[0]).toHaveLength(100);
    expect(bootstrapBags(100, 3, 7).inBag).toEqual(inBag);
    // About (1 - 1/n)^n ≈ 36.8% of samples are out of each bag.
    expect(outOfBag[0].length).toBeGreaterThan(25);
    expect(outOfBag[0].length).toBeLessThan(50);
    expect(outOfBag[0].every((i) => !inBag[0].includes(i))).toBe(true);
  });

  it('combines members by (weighted) averaging and by majority vote', () => {
    const a = [[0.9, 0.1], [0.4, 0.6]];
    const b = [[0.5, 0.5], [0.2, 0.8]];
    const c = [[0.1, 0.9], [0.7, 0.3]];
    expect(averagePredictions([a, b])).toEqual([[0.7, 0.3], [0.30000000000000004, 0.7]]);
    expect(averagePredictions([a, c], [3, 1])[0][0]).toBeCloseTo(0.7, 10);
    expect(majorityVote([a, b, c])).toEqual([0, 1]);
    expect(() => averagePredictions([a, [[1, 0]]])).toThrow(/member 1/);
  });
});
