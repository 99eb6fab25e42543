import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MetricInputError,
  accuracyScore,
  confusionMatrix,
  f1Score,
  fbetaScore,
  hammingLoss,
  multilabelConfusionMatrix,
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
  type PrfOptions,
} from '../../index.js';

interface PrfFixture {
  options: Record<string, unknown>;
  precision?: number | number[];
  recall?: number | number[];
  fscore?: number | number[];
  support?: number[] | null;
  error?: string;
}
interface Case {
  name: string;
  yTrue: unknown[];
  yPred: unknown[];
  accuracy: number;
  hammingLoss: number;
  prf: PrfFixture[];
  multilabelConfusionMatrix: number[][][];
  confusionMatrix?: number[][];
  confusionMatrixLabels?: (string | number)[];
  confusionMatrixWithLabels?: number[][];
}

// Written by fixtures/generate.py with scikit-learn 1.2.
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/classification.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** sklearn keyword arguments -> our options. */
function toOptions(options: Record<string, unknown>): PrfOptions {
  const out: PrfOptions = { onWarning: () => {} };
  if ('average' in options) out.average = options.average as PrfOptions['average'];
  if ('zero_division' in options) out.zeroDivision = options.zero_division as PrfOptions['zeroDivision'];
  if ('pos_label' in options) out.posLabel = options.pos_label as number;
  if ('beta' in options) out.beta = options.beta as number;
  if ('labels' in options) out.labels = options.labels as (string | number)[];
  return out;
}

function expectClose(actual: unknown, expected: unknown): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    expect((actual as unknown[]).length).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e));
  } else if (typeof expected === 'number') {
    expect(actual as number).toBeCloseTo(expected, 12);
  } else {
    expect(actual).toEqual(expected);
  }
}

describe('classification metrics match scikit-learn 1.2', () => {
  for (const c of fixture.cases) {
    describe(c.name, () => {
      it('accuracy, hamming loss and confusion matrices', () => {
        expect(accuracyScore(c.yTrue, c.yPred)).toBeCloseTo(c.accuracy, 14);
        expect(hammingLoss(c.yTrue, c.yPred)).toBeCloseTo(c.hammingLoss, 14);
        expect(multilabelConfusionMatrix(c.yTrue, c.yPred)).toEqual(c.multilabelConfusionMatrix);
        if (c.confusionMatrix) expect(confusionMatrix(c.yTrue, c.yPred)).toEqual(c.confusionMatrix);
        if (c.confusionMatrixWithLabels) {
          expect(confusionMatrix(c.yTrue, c.yPred, { labels: c.confusionMatrixLabels })).toEqual(c.confusionMatrixWithLabels);
        }
      });

      for (const f of c.prf) {
        it(`precisionRecallFscoreSupport ${JSON.stringify(f.options)}`, () => {
          const options = toOptions(f.options);
          if (f.error !== undefined) {
            expect(() => precisionRecallFscoreSupport(c.yTrue, c.yPred, options)).toThrow(MetricInputError);
            return;
          }
          const result = precisionRecallFscoreSupport(c.yTrue, c.yPred, options);
          expectClose(result.precision, f.precision);
          expectClose(result.recall, f.recall);
          expectClose(result.fscore, f.fscore);
          expect(result.support).toEqual(f.support);
          // The single-score functions agree with the combined one.
          expectClose(precisionScore(c.yTrue, c.yPred, options), f.precision);
          expectClose(recallScore(c.yTrue, c.yPred, options), f.recall);
          expectClose(fbetaScore(c.yTrue, c.yPred, { ...options, beta: options.beta ?? 1 }), f.fscore);
          if (options.beta === undefined) expectClose(f1Score(c.yTrue, c.yPred, options), f.fscore);
        });
      }
    });
  }
});

describe('classification usage and bad input', () => {
  it('scores string labels per label in the order asked for', () => {
    const yTrue = ['cat', 'dog', 'pig', 'cat', 'dog', 'pig'];
    const yPred = ['cat', 'pig', 'dog', 'cat', 'cat', 'dog'];
    const perLabel = precisionRecallFscoreSupport(yTrue, yPred, { average: null, labels: ['pig', 'dog', 'cat'], zeroDivision: 0 });
    expect(perLabel.labels).toEqual(['pig', 'dog', 'cat']);
    expect(perLabel.recall).toEqual([0, 0, 1]);
    expect(perLabel.fscore[2]).toBeCloseTo(0.8, 15);
  });

  it("warns through onWarning when zeroDivision is 'warn'", () => {
    const warnings: string[] = [];
    const p = precisionScore([0, 1, 1], [0, 0, 0], { onWarning: (m) => warnings.push(m) });
    expect(p).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Precision is ill-defined/);
    expect(precisionScore([0, 1, 1], [0, 0, 0], { zeroDivision: 1 })).toBe(1);
  });

  it('computes subset accuracy for multilabel rows', () => {
    expect(accuracyScore([[1, 0], [0, 1]], [[1, 0], [1, 1]])).toBe(0.5);
    expect(hammingLoss([[1, 0], [0, 1]], [[1, 0], [1, 1]])).toBe(0.25);
  });

  it('names the argument on bad input', () => {
    const error = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(MetricInputError);
        return (e as MetricInputError).argument;
      }
      throw new Error('expected a MetricInputError');
    };
    expect(error(() => accuracyScore([1, 0], [1]))).toBe('yPred');
    expect(error(() => accuracyScore([], []))).toBe('yTrue');
    expect(error(() => accuracyScore([1, Number.NaN], [1, 0]))).toBe('yTrue[1]');
    expect(error(() => accuracyScore([1, 'a'], [1, 0]))).toBe('yTrue[1]');
    expect(error(() => accuracyScore([1.5, 0], [1, 0]))).toBe('yTrue[0]');
    expect(error(() => accuracyScore([[1, 0]], [1]))).toBe('yPred');
    expect(error(() => accuracyScore([[1, 2]], [[1, 0]]))).toBe('yTrue[0][1]');
    expect(error(() => f1Score([0, 1, 2], [0, 1, 2]))).toBe('average');
    expect(error(() => f1Score([0, 1], [0, 1], { average: 'mean' as never }))).toBe('average');
    expect(error(() => f1Score([0, 1], [0, 1], { zeroDivision: 0.5 as never }))).toBe('zeroDivision');
    expect(error(() => f1Score([0, 2], [0, 2]))).toBe('posLabel');
    expect(error(() => fbetaScore([0, 1], [0, 1], { beta: -1 }))).toBe('beta');
    expect(error(() => confusionMatrix([0, 1], [0, 1], { labels: [5] }))).toBe('labels');
    expect(error(() => f1Score([[1, 0]], [[1, 0]], { average: 'macro', labels: [3] }))).toBe('labels[0]');
  });
});
