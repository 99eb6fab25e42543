import { describe, expect, it } from 'vitest';
import { ConfigError } from '@polyfuse/core';
import { splitSamples } from './splitSamples.js';
import type { SampleRecord } from '../schema/readSample.js';

/** `count` samples of 3 classes (`label` = line % 3), the first `testCount` named `test` by their split field. */
function records(count: number, testCount = 0): SampleRecord[] {
  return Array.from({ length: count }, (_, line) => ({ id: `s${line}`, line, fields: {}, targets: { label: line % 3 }, split: line < testCount ? 'test' : 'train' }));
}

describe('k-fold splits (split.folds, split.fold)', () => {
  it('holds out disjoint, stratified test folds that cover every sample once', () => {
    const samples = records(30);
    const folds = [0, 1, 2].map((fold) => splitSamples(samples, { folds: 3, fold, stratify: 'label', fractions: { validation: 0.2 } }, 7).splits);
    const tests = folds.map((s) => s.test.map((r) => r.id));
    expect(new Set(tests.flat()).size).toBe(30);
    for (const split of folds) {
      expect(split.test).toHaveLength(10);
      // Stratified: each class of 10 gives the held-out fold 3 or 4 samples.
      for (const k of [0, 1, 2]) expect([3, 4]).toContain(split.test.filter((r) => r.targets.label === k).length);
      // fractions.validation of the other folds (per class: round(0.2 × 6 or 7) = 1) validates; the rest trains.
      expect(split.validation).toHaveLength(3);
      expect(split.train).toHaveLength(17);
      const ids = [...split.train, ...split.validation, ...split.test].map((r) => r.id);
      expect(new Set(ids).size).toBe(30);
    }
    // The same seed deals the same folds.
    expect(splitSamples(samples, { folds: 3, fold: 1, stratify: 'label' }, 7).splits.test.map((r) => r.id)).toEqual(tests[1]);
    expect(splitSamples(samples, { folds: 3, fold: 1, stratify: 'label' }, 8).splits.test.map((r) => r.id)).not.toEqual(tests[1]);
  });

  it('with a split field: the test split stays, the held-out fold of the rest validates', () => {
    const samples = records(26, 6);
    const folds = [0, 1, 2, 3].map((fold) => splitSamples(samples, { field: 'split', folds: 4, fold }, 1).splits);
    for (const split of folds) {
      expect(split.test.map((r) => r.id)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
      expect(split.validation.length).toBeGreaterThanOrEqual(5);
      expect(split.train.length + split.validation.length).toBe(20);
    }
    expect(new Set(folds.flatMap((s) => s.validation.map((r) => r.id))).size).toBe(20);
  });

  it('rejects a fold outside 0 .. folds - 1 and more folds than samples', () => {
    expect(() => splitSamples(records(9), { folds: 3, fold: 3 }, 0)).toThrow(/split.fold must be an integer from 0 to 2, got 3/);
    expect(() => splitSamples(records(2), { folds: 3, fold: 0 }, 0)).toThrow(ConfigError);
  });
});
