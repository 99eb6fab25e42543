import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@polyfuse/core';
import { DiagonalGaussian, initialiseGaussianHmm, initialiseMultiStreamHmm, kMeans, resampleFrames, trainBaumWelch, toFrameMatrix } from '../index.js';

// Sequences that walk through the levels 0, 5, 10 (1-D), 4-6 frames per level.
function walks(seed: number, count: number): number[][][] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, () => [0, 5, 10].flatMap((level) => Array.from({ length: 4 + rng.int(3) }, () => [rng.normal(level, 0.5)])));
}

describe('initialisation', () => {
  it('uniform segments give a left-right chain whose states follow the sequence', () => {
    const model = initialiseGaussianHmm(walks(1, 20), { states: 3 });
    expect(Array.from(model.startProbabilities)).toEqual([1, 0, 0]);
    expect(model.transitions[1 * 3 + 0]).toBe(0);
    expect(model.transitions[0 * 3 + 2]).toBe(0);
    const means = model.states.map((s) => (s as DiagonalGaussian).means[0]!);
    expect(means[0]!).toBeLessThan(means[1]!);
    expect(means[1]!).toBeLessThan(means[2]!);
  });

  it('k-means clusters are ordered by their position in the sequence for left-right models', () => {
    const model = initialiseGaussianHmm(walks(2, 20), { states: 3, initialisation: 'kmeans', seed: 4 });
    const means = model.states.map((s) => (s as DiagonalGaussian).means[0]!);
    means.forEach((m, i) => expect(m).toBeCloseTo([0, 5, 10][i]!, 0));
    const ergodic = initialiseGaussianHmm(walks(2, 20), { states: 3, topology: 'ergodic', initialisation: 'kmeans', seed: 4 });
    expect(ergodic.transitions.every((p) => p > 0)).toBe(true);
  });

  it('applies the variance floor', () => {
    const constant = Array.from({ length: 5 }, () => Array.from({ length: 6 }, () => [1, 2]));
    const model = initialiseGaussianHmm(constant, { states: 2, varianceFloor: 0.25 });
    expect(Array.from((model.states[0] as DiagonalGaussian).variances)).toEqual([0.25, 0.25]);
    const trained = trainBaumWelch(model, constant.map((s) => toFrameMatrix(s)), { varianceFloor: 0.25 }).model;
    expect(Array.from((trained.states[1] as DiagonalGaussian).variances)).toEqual([0.25, 0.25]);
  });

  it('is deterministic under a seed', () => {
    const a = initialiseGaussianHmm(walks(3, 10), { states: 3, mixtures: 2, initialisation: 'kmeans', seed: 9 });
    const b = initialiseGaussianHmm(walks(3, 10), { states: 3, mixtures: 2, initialisation: 'kmeans', seed: 9 });
    expect(a.toJSON()).toEqual(b.toJSON());
    const rng = new SeededRandom(1);
    const points = Float64Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 10) + rng.normal(0, 1));
    const { assignments } = kMeans(points, 1, 2, new SeededRandom(5));
    expect(new Set(assignments.slice(0, 20)).size).toBe(1);
    expect(assignments[0]).not.toBe(assignments[39]);
  });

  it('shares one segmentation across streams and checks they are synchronous', () => {
    const audio = walks(4, 8);
    const image = audio.map((s) => resampleFrames(s.filter((_, t) => t % 2 === 0).map(([x]) => [x! * 2, 1]), s.length));
    const model = initialiseMultiStreamHmm(audio.map((a, i) => ({ audio: a, image: image[i]! })), { states: 3 });
    expect(model.streams).toEqual(['audio', 'image']);
    expect(model.dims).toEqual({ audio: 1, image: 2 });
    expect(() => initialiseMultiStreamHmm([{ audio: audio[0]!, image: [[1, 1]] }], { states: 3 })).toThrow(/stream 'image' has 1 frames but stream 'audio' has \d+/);
  });

  it('stretches and shrinks sequences by nearest neighbour', () => {
    expect(Array.from(resampleFrames([[1], [2], [3]], 6).data)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(Array.from(resampleFrames([[1], [2], [3], [4]], 2).data)).toEqual([2, 4]);
    expect(() => resampleFrames([[1]], 0)).toThrow(/frames must be a positive integer/);
  });
});
