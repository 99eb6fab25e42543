import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@polyfuse/core';
import { createMetric, type TrainingMetric } from '../index.js';

// Two regression columns; values are exact in float32. Reference numbers from
// scikit-learn 1.2.1: mean_absolute_error, mean_squared_error(squared=False), r2_score.
const yTrue = [[10.5, -2.0], [12.0, -1.5], [8.25, -2.5], [11.0, -2.25], [9.5, -1.75], [13.0, -2.0]];
const yPred = [[10.0, -2.25], [12.5, -1.5], [9.0, -2.0], [10.75, -2.5], [9.5, -1.5], [12.0, -1.75]];
const sklearn = {
  twoColumns: { mae: 0.375, rmse: 0.4418970851533585, r2: 0.5269863994273443 },
  firstColumn: { mae: 0.5, rmse: 0.5951190357119042, r2: 0.8539727988546886 },
};

/** Feeds the rows in batches of `batchSize`. */
function stream(metric: TrainingMetric, truth: number[][] | number[], predicted: number[][] | number[], batchSize: number): number {
  for (let start = 0; start < truth.length; start += batchSize) {
    const p = tf.tensor(predicted.slice(start, start + batchSize));
    const t = tf.tensor(truth.slice(start, start + batchSize));
    metric.update(p, t);
    tf.dispose([p, t]);
  }
  return metric.compute();
}

const create = (name: string, context = {}) => createMetric({ name, config: { output: 'values_speed', target: 'speed' } }, 'metric', context);

describe('regression metrics match scikit-learn 1.2 over the whole split', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('mae, rmse and r2 on [B, K], uniform average over columns, streamed or in one batch', () => {
    for (const name of ['mae', 'rmse', 'r2'] as const) {
      expect(stream(create(name), yTrue, yPred, 6)).toBeCloseTo(sklearn.twoColumns[name], 12);
      expect(stream(create(name), yTrue, yPred, 4)).toBeCloseTo(sklearn.twoColumns[name], 12);
    }
  });

  it('a scalar target [B] scores like its one column', () => {
    const first = (rows: number[][]) => rows.map((r) => r[0]);
    for (const name of ['mae', 'rmse', 'r2'] as const) {
      expect(stream(create(name), first(yTrue), first(yPred), 4)).toBeCloseTo(sklearn.firstColumn[name], 12);
    }
  });

  it('scores in the original units when the target was standardised', () => {
    const mean = [10, -2];
    const std = [2, 0.5];
    const standardise = (rows: number[][]) => rows.map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
    const invert = (values: Float32Array) => values.map((v, i) => v * std[i % 2] + mean[i % 2]);
    for (const name of ['mae', 'rmse', 'r2'] as const) {
      expect(stream(create(name, { invert }), standardise(yTrue), standardise(yPred), 4)).toBeCloseTo(sklearn.twoColumns[name], 6);
    }
    // Without invert, the standardised units: MAE of column 0 halves, column 1 doubles.
    expect(stream(create('mae'), standardise(yTrue), standardise(yPred), 6)).toBeCloseTo((0.5 / 2 + 0.25 / 0.5) / 2, 6);
  });

  it('r2 of a constant column is 1 when predicted exactly, 0 otherwise (force_finite)', () => {
    expect(stream(create('r2'), [[1, 2], [1, 3]], [[1, 2.5], [1, 2.5]], 2)).toBeCloseTo(0.5, 12);
    expect(stream(create('r2'), [[1, 2], [1, 3]], [[1.5, 2.5], [1, 2.5]], 1)).toBeCloseTo(0, 12);
    expect(stream(create('r2'), [[1, 2]], [[1, 2]], 1)).toBeNaN();
  });

  it('names itself after the output, knows its direction, resets and rejects bad shapes', () => {
    const mae = create('mae');
    expect([mae.name, mae.higherIsBetter, mae.output, mae.target]).toEqual(['mae_values_speed', false, 'values_speed', 'speed']);
    expect([create('rmse').name, create('rmse').higherIsBetter]).toEqual(['rmse_values_speed', false]);
    expect([create('r2').name, create('r2').higherIsBetter]).toEqual(['r2_values_speed', true]);
    expect(stream(mae, [1, 2], [2, 2], 2)).toBe(0.5);
    mae.reset();
    expect(() => mae.compute()).toThrow(/mae_values_speed: no samples were seen/);
    expect(stream(mae, [1, 2], [1, 1], 2)).toBe(0.5);

    const r2 = create('r2');
    const p = tf.ones([3, 2]);
    expect(() => r2.update(p, tf.ones([3]))).toThrow(/expected values_speed \[B\] or \[B, K\] and speed of the same shape, got \[3, 2\] and \[3\]/);
    expect(() => r2.update(p, tf.ones([2, 2]))).toThrow(/got \[3, 2\] and \[2, 2\]/);
    r2.update(p, tf.ones([3, 2]));
    expect(() => r2.update(tf.ones([3, 1]), tf.ones([3]))).toThrow(/values_speed has 1 values per sample but earlier batches had 2/);
    expect(() => create('mae', { invert: () => new Float32Array(1) }).update(p, tf.ones([3, 2]))).toThrow(/invert returned 1 values for 6/);
    expect(() => createMetric({ name: 'mae', config: { target: 'speed' } })).toThrow(/metric\.output is required/);
  });
});
