import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@polyfuse/core';
import { createMetric, type TrainingMetric } from '../index.js';

// Four classes; class 3 has no positive sample. Reference numbers from
// scikit-learn 1.2.1 (f1_score with zero_division=0 on sigmoid(logits) > threshold,
// average_precision_score on the logits).
const logits = [
  [2.0, -1.0, 0.5, -3.0],
  [-0.5, 1.5, -2.0, -1.0],
  [1.0, 0.2, -0.3, -2.5],
  [-1.5, -0.2, 1.2, -0.5],
  [0.3, 2.5, 0.1, -4.0],
  [-2.0, -1.2, -0.7, 0.4],
  [0.8, -0.6, 2.2, -1.5],
  [-0.4, 0.9, -1.1, -2.0],
];
const labels = [
  [1, 0, 1, 0],
  [0, 1, 0, 0],
  [1, 1, 0, 0],
  [0, 0, 1, 0],
  [0, 1, 0, 0],
  [1, 0, 0, 0],
  [1, 0, 1, 0],
  [0, 1, 1, 0],
];
const sklearn = {
  f1: { micro: 0.8, macro: 0.625 },
  f1Threshold03: { micro: 0.625, macro: 0.5 },
  // Per-class AP of classes 0-2: 0.875, 1, 0.892857...; sklearn's macro over all four (class 3 as 0) is 0.69196...
  mapWithPositives: 0.9226190476190476,
};

function stream(metric: TrainingMetric, batchSize: number, rows = logits, targets = labels): number {
  for (let start = 0; start < rows.length; start += batchSize) {
    const p = tf.tensor2d(rows.slice(start, start + batchSize));
    const t = tf.tensor2d(targets.slice(start, start + batchSize));
    metric.update(p, t);
    tf.dispose([p, t]);
  }
  return metric.compute();
}

const create = (name: string, config: Record<string, unknown> = {}) => createMetric({ name, config: { output: 'logits_tags', target: 'tags', ...config } });

describe('multi-label metrics match scikit-learn 1.2', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('multilabel-f1, micro and macro over all classes, streamed or in one batch', () => {
    expect(stream(create('multilabel-f1', { average: 'micro' }), 8)).toBeCloseTo(sklearn.f1.micro, 12);
    expect(stream(create('multilabel-f1', { average: 'micro' }), 3)).toBeCloseTo(sklearn.f1.micro, 12);
    expect(stream(create('multilabel-f1'), 8)).toBeCloseTo(sklearn.f1.macro, 12);
    expect(stream(create('multilabel-f1'), 3)).toBeCloseTo(sklearn.f1.macro, 12);
  });

  it('multilabel-f1 with another probability threshold', () => {
    expect(stream(create('multilabel-f1', { average: 'micro', threshold: 0.3 }), 5)).toBeCloseTo(sklearn.f1Threshold03.micro, 12);
    expect(stream(create('multilabel-f1', { threshold: 0.3 }), 5)).toBeCloseTo(sklearn.f1Threshold03.macro, 12);
  });

  it('map averages AP over the classes that have positives, streamed or in one batch', () => {
    expect(stream(create('map'), 8)).toBeCloseTo(sklearn.mapWithPositives, 12);
    expect(stream(create('map'), 3)).toBeCloseTo(sklearn.mapWithPositives, 12);
  });

  it('names, reset and errors', () => {
    expect(create('multilabel-f1').name).toBe('multilabel_f1_logits_tags');
    expect(create('multilabel-f1', { average: 'micro', threshold: 0.3 }).name).toBe('multilabel_f1_micro_threshold0.3_logits_tags');
    expect(createMetric({ name: 'map', config: { target: 'tags' } }).name).toBe('map');
    expect(create('map').name).toBe('map_logits_tags');
    expect(create('map').higherIsBetter).toBe(true);

    const map = create('map');
    stream(map, 8);
    map.reset();
    expect(() => map.compute()).toThrow(/map_logits_tags: no samples were seen/);
    expect(stream(map, 4)).toBeCloseTo(sklearn.mapWithPositives, 12);
    expect(() => stream(create('map'), 8, logits, labels.map(() => [0, 0, 0, 0]))).toThrow(/no class of tags has a positive sample/);

    const f1 = create('multilabel-f1');
    const p = tf.zeros([2, 4]);
    expect(() => f1.update(p, tf.tensor1d([0, 1], 'int32'))).toThrow(/expected logits_tags \[B, C\] and a multi-hot tags \[B, C\], got \[2, 4\] and \[2\]/);
    expect(() => f1.update(p, tf.tensor2d([[0, 2, 0, 0], [0, 0, 0, 0]]))).toThrow(/tags must hold 0 or 1, got 2/);
    f1.update(p, tf.zeros([2, 4]));
    expect(() => f1.update(tf.zeros([2, 3]), tf.zeros([2, 3]))).toThrow(/logits_tags has 3 classes but earlier batches had 4/);
    expect(() => create('multilabel-f1', { average: 'weighted' })).toThrow(/metric\.average must be one of "macro", "micro"/);
    expect(() => create('multilabel-f1', { threshold: 1.5 })).toThrow(/metric\.threshold/);
  });
});
