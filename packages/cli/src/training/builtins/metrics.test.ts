import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { trainingRegistry, confusionMatrix, type ClassificationMetric } from '../../index.js';

const reference = JSON.parse(readFileSync(new URL('../../../fixtures/sklearn-metrics.json', import.meta.url), 'utf8')) as {
  cases: { numClasses: number; yTrue: number[]; yPred: number[]; accuracy: number; macroF1: number; confusion: number[][] }[];
};

describe('built-in metrics match sklearn 1.2', () => {
  const accuracy = trainingRegistry.create<ClassificationMetric>('metric', 'accuracy');
  const macroF1 = trainingRegistry.create<ClassificationMetric>('metric', 'macro-f1');

  it.each(reference.cases.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const input = { yTrue: Int32Array.from(c.yTrue), yPred: Int32Array.from(c.yPred), probabilities: new Float32Array(0), numClasses: c.numClasses };
    expect(accuracy.compute(input)).toBeCloseTo(c.accuracy, 12);
    expect(macroF1.compute(input)).toBeCloseTo(c.macroF1, 12);
    expect(confusionMatrix(c.yTrue, c.yPred, c.numClasses)).toEqual(c.confusion);
  });
});
