import { describe, expect, it } from 'vitest';
import {
  MetricInputError,
  StreamingAveragePrecision,
  StreamingBleu,
  StreamingClassificationMetrics,
  StreamingRetrieval,
  StreamingRocAuc,
  accuracyScore,
  averagePrecisionScore,
  corpusBleu,
  precisionRecallFscoreSupport,
  retrievalScores,
  rocAucScore,
} from '../index.js';

/** Deterministic pseudo-random numbers (LCG), so the test data is fixed. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('streaming metrics give the functional numbers', () => {
  const rand = lcg(7);
  const labels = ['cat', 'dog', 'pig'];
  const yTrue = Array.from({ length: 90 }, () => labels[Math.floor(rand() * 3)]);
  const yPred = yTrue.map((l) => (rand() < 0.6 ? l : labels[Math.floor(rand() * 3)]));

  it('classification: batches, merged workers and reset', () => {
    const workerA = new StreamingClassificationMetrics({ labels, average: 'macro', zeroDivision: 0 });
    const workerB = new StreamingClassificationMetrics({ labels, average: 'macro', zeroDivision: 0 });
    for (let i = 0; i < 90; i += 10) (i < 50 ? workerA : workerB).update(yTrue.slice(i, i + 10), yPred.slice(i, i + 10));
    const result = workerA.merge(workerB).compute();
    const expected = precisionRecallFscoreSupport(yTrue, yPred, { average: 'macro', labels, zeroDivision: 0 });
    expect(result.accuracy).toBeCloseTo(accuracyScore(yTrue, yPred), 15);
    expect(result.precision).toBeCloseTo(expected.precision, 15);
    expect(result.recall).toBeCloseTo(expected.recall, 15);
    expect(result.fscore).toBeCloseTo(expected.fscore, 15);
    expect(result.confusionMatrix.flat().reduce((a, b) => a + b)).toBe(90);
    workerA.reset();
    expect(() => workerA.compute()).toThrow(MetricInputError);
  });

  it('classification: score rows are reduced by argmax; unknown labels are rejected', () => {
    const metric = new StreamingClassificationMetrics({ labels: [0, 1, 2], average: null, zeroDivision: 0 });
    metric.update([0, 2, 1], [[0.8, 0.1, 0.1], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1]]);
    expect(metric.compute().recall).toEqual([1, 0, 1]);
    expect(() => metric.update([3], [0])).toThrow(/yTrue\[0\]/);
  });

  it('classification state survives a JSON round trip (e.g. between worker threads)', () => {
    const a = new StreamingClassificationMetrics({ labels, zeroDivision: 0 });
    a.update(yTrue, yPred);
    const b = new StreamingClassificationMetrics({ labels, zeroDivision: 0 });
    b.loadState(JSON.parse(JSON.stringify(a.state())));
    expect(b.compute()).toEqual(a.compute());
    const other = new StreamingClassificationMetrics({ labels, average: 'micro', zeroDivision: 0 });
    expect(() => a.merge(other)).toThrow(/same configuration/);
  });

  it('average precision and ROC AUC over batches', () => {
    const t = Array.from({ length: 200 }, () => (rand() < 0.4 ? 1 : 0));
    const s = t.map((v) => Math.round((rand() + v * 0.5) * 10) / 10);
    const ap = new StreamingAveragePrecision();
    const auc = new StreamingRocAuc();
    const auc2 = new StreamingRocAuc();
    for (let i = 0; i < 200; i += 50) {
      ap.update(t.slice(i, i + 50), Float32Array.from(s.slice(i, i + 50)));
      (i < 100 ? auc : auc2).update(t.slice(i, i + 50), s.slice(i, i + 50));
    }
    // Float32Array inputs are read as float32 values, as a tensor's data would be.
    expect(ap.compute()).toBeCloseTo(averagePrecisionScore(t, Float32Array.from(s)), 15);
    expect(auc.merge(auc2).compute()).toBeCloseTo(rocAucScore(t, s), 15);
  });

  it('BLEU keeps only sufficient statistics', () => {
    const hyps = ['the cat sat on the mat', 'a dog ran', 'it is raining today .'];
    const refs = [['the cat is on the mat', 'a cat sat on the mat'], ['the dog ran away'], ['it rains today .']];
    const a = new StreamingBleu();
    const b = new StreamingBleu();
    a.update(hyps.slice(0, 2), refs.slice(0, 2));
    b.update(hyps.slice(2), refs.slice(2));
    expect(a.merge(b).compute()).toEqual(corpusBleu(hyps, refs));
    expect(a.state().statistics).toHaveLength(11);
  });

  it('retrieval over embedding batches, paired or by id', () => {
    const rows = Array.from({ length: 12 }, () => Array.from({ length: 4 }, () => rand() - 0.5));
    const cols = rows.map((r) => r.map((v) => v + (rand() - 0.5) * 0.8));
    const cos = (a: number[], b: number[]) => {
      const dot = a.reduce((s, x, k) => s + x * b[k], 0);
      return dot / Math.hypot(...a) / Math.hypot(...b);
    };
    const expected = retrievalScores(rows.map((r) => cols.map((c) => cos(r, c))));
    const a = new StreamingRetrieval();
    const b = new StreamingRetrieval();
    a.update(rows.slice(0, 5), cols.slice(0, 5));
    b.update(rows.slice(5), cols.slice(5));
    const result = a.merge(b).compute();
    expect(result.rowToColumn.ranks).toEqual(expected.rowToColumn.ranks);
    expect(result.columnToRow.ranks).toEqual(expected.columnToRow.ranks);
    expect(() => a.update(rows.slice(0, 1), cols.slice(0, 1), { rowIds: [0], columnIds: [0] })).toThrow(/ids/);
  });
});
