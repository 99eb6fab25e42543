import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { initBackend, tf } from '@polyfuse/core';
import { createMetric, ClassificationMetric } from '../index.js';

/** scikit-learn 1.2 values written by fixtures/generate_metrics.py. */
const ref = JSON.parse(readFileSync(new URL('../../fixtures/metrics.json', import.meta.url), 'utf8'));

/** Feeds the data in batches of 16, as validation does. */
function stream(name: string, config: Record<string, unknown>, logits: number[][] | number[], target: number[]): number {
  const metric = createMetric({ name, config });
  for (let start = 0; start < target.length; start += 16) {
    const rows = logits.slice(start, start + 16);
    const p = Array.isArray(rows[0]) ? tf.tensor2d(rows as number[][]) : tf.tensor2d(rows as number[], [rows.length, 1]);
    const t = tf.tensor1d(target.slice(start, start + 16), 'int32');
    metric.update(p, t);
    tf.dispose([p, t]);
  }
  return metric.compute();
}

describe('validation metrics match scikit-learn 1.2 over all classes', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('accuracy, macro F1 (with a class that never occurs), weighted precision, micro recall', () => {
    expect(stream('accuracy', {}, ref.logits, ref.target)).toBeCloseTo(ref.accuracy, 10);
    expect(stream('f1', {}, ref.logits, ref.target)).toBeCloseTo(ref.f1_macro, 10);
    expect(stream('precision', { average: 'weighted' }, ref.logits, ref.target)).toBeCloseTo(ref.precision_weighted, 10);
    expect(stream('recall', { average: 'micro' }, ref.logits, ref.target)).toBeCloseTo(ref.recall_micro, 10);
  });

  it('one logit per sample is a binary classifier (logit > 0)', () => {
    expect(stream('f1', { average: 'binary' }, ref.binary_logit, ref.binary_target)).toBeCloseTo(ref.binary_f1, 10);
    expect(stream('roc-auc', {}, ref.binary_logit, ref.binary_target)).toBeCloseTo(ref.binary_roc_auc, 10);
  });

  it('ROC AUC one-vs-rest on softmax probabilities', () => {
    const three = (ref.logits as number[][]).map((row) => row.slice(0, 3));
    expect(stream('roc-auc', {}, three, ref.target)).toBeCloseTo(ref.roc_auc_ovr_3class, 6);
  });

  it('names itself for logs, keeps a confusion matrix and rejects bad input', () => {
    expect(createMetric({ name: 'f1', config: { average: 'weighted', output: 'logits_image' } }).name).toBe('f1_weighted_logits_image');
    const metric = createMetric({ name: 'accuracy' }) as ClassificationMetric;
    const p = tf.tensor2d([[2, 0], [0, 2], [3, 1]]);
    const t = tf.tensor1d([0, 0, 1], 'int32');
    metric.update(p, t);
    expect(metric.confusionMatrix()).toEqual([[1, 1], [1, 0]]);
    expect(() => metric.update(p, tf.tensor1d([0, 5, 1], 'int32'))).toThrow(/target 5 is not a class index in \[0, 2\)/);
    expect(() => metric.update(tf.ones([3, 3]), t)).toThrow(/has 3 classes but earlier batches had 2/);
    metric.reset();
    expect(() => createMetric({ name: 'accuracy' }).compute()).toThrow(/no samples were seen/);
    expect(() => createMetric({ name: 'f1', config: { average: 'samples' } })).toThrow(/metric\.average must be one of "macro", "micro", "weighted", "binary"/);
    tf.dispose([p, t]);
  });
});
