import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@polyfuse/core';
import { MultiStreamHmmClassifier, resampleFrames, streamWeightGrid, type Label, type MultiStreamSequence } from '../index.js';

/**
 * Two synchronous streams: `clean` carries the class (an ordered walk through
 * three 2-D means, little noise), `noisy` carries it too but buried in noise,
 * at a third of the frame rate (upsampled like a video stream is to the audio rate).
 */
const ORDERS: Record<string, number[]> = { up: [0, 1, 2], down: [2, 1, 0], peak: [0, 2, 0] };

function makeData(seed: number, perClass: number, cleanNoise: number, noisyNoise: number) {
  const rng = new SeededRandom(seed);
  const observations: MultiStreamSequence[] = [];
  const labels: Label[] = [];
  for (let i = 0; i < perClass; i++) {
    for (const [label, order] of Object.entries(ORDERS)) {
      const clean: number[][] = [];
      const slow: number[][] = [];
      for (const level of order) {
        const length = 6 + rng.int(4);
        for (let t = 0; t < length; t++) clean.push([rng.normal(level * 2, cleanNoise), rng.normal(-level, cleanNoise)]);
        for (let t = 0; t < length / 3; t++) slow.push([rng.normal(level, noisyNoise), rng.normal(0, 1), rng.normal(0, 1)]);
      }
      observations.push({ clean, noisy: resampleFrames(slow, clean.length) });
      labels.push(label);
    }
  }
  return { observations, labels };
}

describe('MultiStreamHmmClassifier', () => {
  const train = makeData(1, 10, 2.5, 1.5);
  const val = makeData(2, 10, 2.5, 1.5);
  const test = makeData(3, 20, 2.5, 1.5);

  it('trains with both streams, tunes the weights on validation data and beats chance by far', () => {
    const classifier = MultiStreamHmmClassifier.fit(train.observations, train.labels, { states: 3, seed: 1 });
    expect(classifier.streams).toEqual(['clean', 'noisy']);
    expect(classifier.streamWeights).toEqual({ clean: 1, noisy: 1 });
    const tuning = classifier.tuneStreamWeights(val.observations, val.labels);
    expect(tuning.results).toHaveLength(11);
    expect(tuning.results.every((r) => tuning.accuracy >= r.accuracy)).toBe(true);
    const tuned = classifier.withStreamWeights(tuning.streamWeights);
    const accuracy = tuned.accuracy(test.observations, test.labels);
    expect(accuracy).toBeGreaterThan(0.85);
    // Each stream alone (weight 1 on it) is worse than or equal to the tuned combination on validation.
    const only = (s: string) => tuning.results.find((r) => r.streamWeights[s] === 1)!.accuracy;
    expect(tuning.accuracy).toBeGreaterThanOrEqual(Math.max(only('clean'), only('noisy')));
  });

  it('saves to JSON with its stream weights', () => {
    const classifier = MultiStreamHmmClassifier.fit(train.observations, train.labels, { states: 3, mixtures: 2, seed: 2, maxIterations: 4 }).withStreamWeights({ clean: 0.7, noisy: 0.3 });
    const restored = MultiStreamHmmClassifier.fromJSON(JSON.parse(JSON.stringify(classifier.toJSON())));
    expect(restored.streamWeights).toEqual({ clean: 0.7, noisy: 0.3 });
    expect(Array.from(restored.logLikelihoods(test.observations[0]!))).toEqual(Array.from(classifier.logLikelihoods(test.observations[0]!)));
  });

  it('builds weight grids on the simplex', () => {
    expect(streamWeightGrid(['a', 'b'], 0.5)).toEqual([{ a: 0, b: 1 }, { a: 0.5, b: 0.5 }, { a: 1, b: 0 }]);
    expect(streamWeightGrid(['a', 'b', 'c'], 0.25)).toHaveLength(15);
    expect(() => streamWeightGrid(['a'], 0.3)).toThrow(/step must divide 1/);
  });

  it('names what is wrong with bad observations', () => {
    const classifier = MultiStreamHmmClassifier.fit(train.observations.slice(0, 6), train.labels.slice(0, 6), { states: 2, maxIterations: 1 });
    const good = test.observations[0]! as { clean: number[][]; noisy: unknown };
    expect(() => classifier.predict({ clean: good.clean })).toThrow(/missing 'noisy'/);
    expect(() => classifier.predict({ ...good, extra: good.clean } as MultiStreamSequence)).toThrow(/unknown 'extra'/);
    expect(() => classifier.predict({ clean: good.clean, noisy: [[1, 2, 3]] })).toThrow(/stream 'noisy' has 1 frames but stream 'clean' has \d+; a synchronous multi-stream HMM needs equal frame counts/);
    expect(() => classifier.predict({ clean: [[1, 2, 3]], noisy: [[1, 2, 3]] })).toThrow(/stream 'clean': sequence dim mismatch, frames have 3 values but the model expects 2/);
    expect(() => classifier.withStreamWeights({ clean: 1 })).toThrow(/stream weights name \[clean\] but the model's streams are \[clean, noisy\]/);
    expect(() => classifier.withStreamWeights({ clean: -1, noisy: 1 })).toThrow(/stream weight 'clean' must be a finite number >= 0/);
  });
});
