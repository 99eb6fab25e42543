import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, InputError, SeededRandom, registry, type Preprocessor } from '@polyfuse/core';
import { NumericPreprocessor } from './numericPreprocessor.js';
import { CategoricalPreprocessor } from './categoricalPreprocessor.js';
import '../index.js';

const reference = JSON.parse(readFileSync(new URL('../../fixtures/reference.json', import.meta.url), 'utf8')) as {
  columns: string[];
  train: (number | null)[][];
  test: (number | null)[][];
  mean: number[];
  scale: number[];
  expected: number[][];
};
const context = (training = false, seed = 0) => ({ baseDir: '.', training, rng: new SeededRandom(seed) });

describe('preprocessor/numeric', () => {
  it('matches scikit-learn StandardScaler + mean imputation + MissingIndicator', async () => {
    const numeric = registry.create<Preprocessor>('preprocessor', 'numeric', { columns: reference.columns });
    expect(numeric.outputShape).toEqual([8]);
    await numeric.fit!(reference.train, { baseDir: '.' });
    const state = numeric.getState!() as { mean: number[]; scale: number[] };
    state.mean.forEach((m, i) => expect(m).toBeCloseTo(reference.mean[i]!, 6));
    state.scale.forEach((s, i) => expect(s).toBeCloseTo(reference.scale[i]!, 6));
    for (const [i, row] of reference.test.entries()) {
      const out = await numeric.process(row, context());
      out.forEach((x, j) => expect(x).toBeCloseTo(reference.expected[i]![j]!, 4));
    }
  });

  it('reads rows as objects by column name, with strings and placeholders', async () => {
    const numeric = new NumericPreprocessor({ columns: ['age', 'bmi'], missingIndicator: false });
    await numeric.fit([{ age: 20, bmi: 20 }, { age: 40, bmi: 30 }]);
    expect(Array.from(numeric.transform({ age: '30', bmi: 'NA' }))).toEqual([0, 0]);
    expect(Array.from(numeric.transform({ age: 40 }))).toEqual([1, 0]);
    const restored = new NumericPreprocessor({ columns: ['age', 'bmi'], missingIndicator: false });
    restored.setState(numeric.getState());
    expect(restored.transform({ age: 20, bmi: 30 })).toEqual(numeric.transform({ age: 20, bmi: 30 }));
  });

  it('explains bad values and missing fits', async () => {
    const numeric = new NumericPreprocessor({ columns: ['age'] });
    expect(() => numeric.transform([1])).toThrow(/call fit\(trainingValues\)/);
    await numeric.fit([[1], [2]]);
    expect(() => numeric.transform(['old'])).toThrow(/column 'age' must be a number \(or missing\), got "old"/);
    expect(() => numeric.transform([1, 2])).toThrow(/expected 1 values \(age\), got an array of 2/);
    expect(() => new NumericPreprocessor({})).toThrow(ConfigError);
  });
});

describe('preprocessor/categorical', () => {
  const rows = [{ sex: 'f', site: 'a' }, { sex: 'm', site: 'b' }, { sex: 'f', site: 'a' }, { sex: 'f', site: 'c' }, { sex: null, site: 'a' }];

  it('one-hot encodes with slot 0 for unknown or missing values, most frequent first', async () => {
    const categorical = new CategoricalPreprocessor({ columns: ['sex', 'site'], maxCategories: 2 });
    await categorical.fit(rows);
    expect(categorical.getState()).toEqual([['f', 'm'], ['a', 'b']]);
    expect(categorical.outputShape).toEqual([6]);
    expect(Array.from(categorical.transform({ sex: 'm', site: 'a' }))).toEqual([0, 0, 1, 0, 1, 0]);
    expect(Array.from(categorical.transform({ sex: '', site: 'c' }))).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('gives per-column offset ids for an embedding', async () => {
    const categorical = registry.create<Preprocessor>('preprocessor', 'categorical', { columns: ['sex', 'site'], encoding: 'index', maxCategories: 3 });
    await categorical.fit!(rows, { baseDir: '.' });
    expect(categorical.dtype).toBe('int32');
    expect(Array.from(await categorical.process({ sex: 'm', site: 'c' }, context()))).toEqual([2, 4 + 3]);
    expect((categorical as CategoricalPreprocessor).vocabularySize).toBe(8);
  });

  it('accepts fixed categories and rejects too many', () => {
    const fixed = new CategoricalPreprocessor({ columns: ['grade'], categories: { grade: ['low', 'high'] } });
    expect(Array.from(fixed.transform('high'))).toEqual([0, 0, 1, ...new Array(14).fill(0)]);
    expect(() => new CategoricalPreprocessor({ columns: ['g'], maxCategories: 1, categories: { g: ['a', 'b'] } })).toThrow(/has 2 values; maxCategories is 1/);
  });
});

describe('preprocessor/timeseries', () => {
  it('crops, interpolates gaps, and z-scores each channel of each sample', async () => {
    const series = registry.create<Preprocessor>('preprocessor', 'timeseries', { length: 4, channels: 2, crop: 'centre' });
    expect(series.outputShape).toEqual([4, 2]);
    const out = await series.process([[0, 10], [1, null], [2, 30], [3, 40], [4, 50], [5, 60]], context());
    // centre crop keeps steps 1..4: channel 0 = [1,2,3,4], channel 1 = [20 (interpolated), 30, 40, 50]
    const z = [-1.3416408, -0.4472136, 0.4472136, 1.3416408];
    expect(Array.from(out).filter((_, i) => i % 2 === 0)).toEqual(z.map((v) => expect.closeTo(v, 5)));
    expect(Array.from(out).filter((_, i) => i % 2 === 1)).toEqual(z.map((v) => expect.closeTo(v, 5)));
  });

  it('zero-pads short series, reads named channels, and normalises with training statistics', async () => {
    const series = registry.create<Preprocessor>('preprocessor', 'timeseries', { length: 5, channels: 2, channelNames: ['x', 'y'], normalisation: 'dataset' });
    await series.fit!([{ x: [0, 2], y: [10, 10] }, { x: [4, 2], y: [10, 10] }], { baseDir: '.' });
    expect(series.getState!()).toEqual({ mean: [2, 10], std: [Math.SQRT2, 1] });
    const out = await series.process({ x: [2, 4], y: [11, 9] }, context());
    expect(Array.from(out)).toEqual([0, 1, expect.closeTo(Math.SQRT2, 5), -1, 0, 0, 0, 0, 0, 0]);
  });

  it('augments reproducibly while training only', async () => {
    const series = registry.create<Preprocessor>('preprocessor', 'timeseries', { length: 8, randomCrop: true, jitter: 0.1, scale: [0.8, 1.2] });
    const value = Array.from({ length: 20 }, (_, i) => Math.sin(i));
    expect(await series.process(value, context(false))).toEqual(await series.process(value, context(false, 9)));
    expect(await series.process(value, context(true, 3))).toEqual(await series.process(value, context(true, 3)));
    expect(await series.process(value, context(true, 3))).not.toEqual(await series.process(value, context(true, 4)));
  });

  it('rejects empty or ragged series with the step named', async () => {
    const series = registry.create<Preprocessor>('preprocessor', 'timeseries', { length: 4, channels: 2 });
    await expect(series.process([], context())).rejects.toThrow(/series is empty/);
    await expect(series.process([[1, 2], [3]], context())).rejects.toThrow(/step 1 must hold 2 values/);
    await expect(series.process('1,2,3', context())).rejects.toThrow(InputError);
  });
});
