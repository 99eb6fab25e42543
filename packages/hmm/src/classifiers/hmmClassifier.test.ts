import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@polyfuse/core';
import { HmmClassifier, type Label } from '../index.js';

/**
 * A tiny synthetic word-recognition problem: each class is a different order
 * of three 2-D "phones" (means), each held for 4-9 frames, with unit noise.
 */
const PHONES = [[0, 0], [3, 0], [0, 3]];
const WORDS: Record<string, number[]> = { abc: [0, 1, 2], cba: [2, 1, 0], bab: [1, 0, 1] };

function makeData(seed: number, perClass: number) {
  const rng = new SeededRandom(seed);
  const sequences: number[][][] = [];
  const labels: Label[] = [];
  for (let i = 0; i < perClass; i++) {
    for (const [word, phones] of Object.entries(WORDS)) {
      const frames: number[][] = [];
      for (const p of phones) {
        const length = 4 + rng.int(6);
        for (let t = 0; t < length; t++) frames.push(PHONES[p]!.map((m) => rng.normal(m, 1)));
      }
      sequences.push(frames);
      labels.push(word);
    }
  }
  return { sequences, labels };
}

describe('HmmClassifier', () => {
  const train = makeData(1, 12);
  const test = makeData(2, 20);

  it('learns one left-right HMM per class and classifies far above chance (1/3)', () => {
    const trained: Label[] = [];
    const classifier = HmmClassifier.fit(train.sequences, train.labels, { states: 3, seed: 7, onClassTrained: (info) => trained.push(info.label) });
    expect(classifier.classes).toEqual(['abc', 'bab', 'cba']);
    expect(trained).toEqual(['abc', 'bab', 'cba']);
    expect(classifier.accuracy(test.sequences, test.labels)).toBeGreaterThan(0.95);
    const probabilities = classifier.predictProbabilities(test.sequences[0]!);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(classifier.classes[probabilities.indexOf(Math.max(...probabilities))]).toBe(test.labels[0]);
  });

  it('trains mixtures and ergodic k-means-initialised models too', () => {
    const mixture = HmmClassifier.fit(train.sequences, train.labels, { states: 3, mixtures: 2, seed: 3 });
    expect(mixture.models[0]!.states[0]!.type).toBe('gaussian-mixture');
    expect(mixture.accuracy(test.sequences, test.labels)).toBeGreaterThan(0.9);
    const ergodic = HmmClassifier.fit(train.sequences, train.labels, { states: 3, topology: 'ergodic', initialisation: 'kmeans', seed: 3 });
    expect(ergodic.accuracy(test.sequences, test.labels)).toBeGreaterThan(0.8);
  });

  it('is deterministic under a seed and survives a JSON round trip', () => {
    const options = { states: 3, mixtures: 2, initialisation: 'kmeans' as const, seed: 11, maxIterations: 5 };
    const a = HmmClassifier.fit(train.sequences, train.labels, options);
    const b = HmmClassifier.fit(train.sequences, train.labels, options);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const restored = HmmClassifier.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(Array.from(restored.logLikelihoods(test.sequences[5]!))).toEqual(Array.from(a.logLikelihoods(test.sequences[5]!)));
  });

  it('improves the training likelihood at every Baum-Welch iteration', () => {
    const curves: number[][] = [];
    HmmClassifier.fit(train.sequences, train.labels, { states: 3, mixtures: 2, seed: 5, tolerance: 0, maxIterations: 8, onClassTrained: (info) => curves.push(info.logLikelihoods) });
    for (const curve of curves) {
      for (let i = 1; i < curve.length; i++) expect(curve[i]!).toBeGreaterThanOrEqual(curve[i - 1]! - 1e-7);
    }
  });

  it('names what is wrong with bad training data', () => {
    expect(() => HmmClassifier.fit(train.sequences, train.labels.slice(1), { states: 3 })).toThrow(/36 sequences but 35 labels/);
    expect(() => HmmClassifier.fit([[[1, 2], [3, 4]]], ['a'], { states: 3 })).toThrow(/sequence 0 has 2 frames, too few for 3 states/);
    expect(() => HmmClassifier.fit([[[1, 2], [3, 4], [5, 6]], [[1, 2, 3]]], ['a', 'b'], { states: 1 })).toThrow(/training sequence 1: sequence dim mismatch, frames have 3 values but the model expects 2/);
    expect(() => HmmClassifier.fit([[[1]], []], ['a', 'b'], { states: 1 })).toThrow(/training sequence 1 is empty/);
    expect(() => HmmClassifier.fit(train.sequences, train.labels, { states: 0 })).toThrow(/states must be a positive integer, got 0/);
    expect(() => HmmClassifier.fit([[[1], [2], [3]]], ['a'], { states: 1, mixtures: 4 })).toThrow(/state 0 was given 3 frames, too few for 4 mixture component/);
  });
});
