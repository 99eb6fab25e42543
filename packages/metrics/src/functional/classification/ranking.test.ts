import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MetricInputError, averagePrecisionScore, rocAucScore, type AveragePrecisionOptions, type RocAucOptions } from '../../index.js';

interface Run {
  options: Record<string, unknown>;
  value?: number | number[];
  error?: string;
}
interface Case {
  name: string;
  yTrue: unknown[];
  yScore: number[] | number[][];
  averagePrecision: Run[];
  rocAuc: Run[];
}

// Written by fixtures/generate.py with scikit-learn 1.2.
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/ranking.json', import.meta.url), 'utf8')) as { cases: Case[] };

function options(o: Record<string, unknown>): AveragePrecisionOptions & RocAucOptions {
  const out: AveragePrecisionOptions & RocAucOptions = {};
  if ('average' in o) out.average = o.average as RocAucOptions['average'];
  if ('pos_label' in o) out.posLabel = o.pos_label as string;
  if ('multi_class' in o) out.multiClass = o.multi_class as RocAucOptions['multiClass'];
  return out;
}

// Bit for bit: the fixture holds Python's shortest round-trip repr of each float64.
function expectExact(actual: unknown, expected: number | number[]): void {
  if (Array.isArray(expected)) {
    expect((actual as number[]).length).toBe(expected.length);
    expected.forEach((e, i) => expect((actual as number[])[i] === e, `element ${i}: ${(actual as number[])[i]} vs ${e}`).toBe(true));
  } else expect(actual as number, 'exact').toBe(expected + 0);
}

describe('averagePrecisionScore and rocAucScore match scikit-learn 1.2', () => {
  for (const c of fixture.cases) {
    for (const run of c.averagePrecision) {
      it(`${c.name}: average precision ${JSON.stringify(run.options)}`, () => {
        if (run.error !== undefined) expect(() => averagePrecisionScore(c.yTrue, c.yScore, options(run.options))).toThrow(MetricInputError);
        else expectExact(averagePrecisionScore(c.yTrue, c.yScore, options(run.options)), run.value as number);
      });
    }
    for (const run of c.rocAuc) {
      it(`${c.name}: ROC AUC ${JSON.stringify(run.options)}`, () => {
        if (run.error !== undefined) expect(() => rocAucScore(c.yTrue, c.yScore, options(run.options))).toThrow(MetricInputError);
        else expectExact(rocAucScore(c.yTrue, c.yScore, options(run.options)), run.value as number);
      });
    }
  }
});

describe('ranking metrics by hand', () => {
  it('groups tied scores into one threshold', () => {
    // Ties at 0.5: one positive and one negative share a threshold, so the PR
    // curve goes (R=0.5, P=1) -> (R=1, P=2/3): AP = 0.5·1 + 0.5·(2/3).
    expect(averagePrecisionScore([1, 1, 0, 0], [0.9, 0.5, 0.5, 0.1])).toBeCloseTo(0.5 + 1 / 3, 15);
    // ROC: the tie is a diagonal segment: AUC = 0.5·(0.5) + ... = 0.875.
    expect(rocAucScore([1, 1, 0, 0], [0.9, 0.5, 0.5, 0.1])).toBeCloseTo(0.875, 15);
  });

  it('accepts typed arrays of scores', () => {
    const n = 1000;
    const yTrue = Array.from({ length: n }, (_, i) => i % 2);
    const yScore = Float64Array.from({ length: n }, (_, i) => i);
    // Positive 2k+1 beats the k+1 negatives 0, 2, ..., 2k: AUC = (n/2 + 1) / n.
    expect(rocAucScore(yTrue, yScore)).toBeCloseTo(0.5 + 1 / n, 12);
  });

  it('names the argument on bad input', () => {
    const argumentOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(MetricInputError);
        return (e as MetricInputError).argument;
      }
      throw new Error('expected a MetricInputError');
    };
    expect(argumentOf(() => averagePrecisionScore([0, 1], [0.5, Number.NaN]))).toBe('yScore[1]');
    expect(argumentOf(() => averagePrecisionScore([0, 1, 1], [0.5, 0.2]))).toBe('yScore');
    expect(argumentOf(() => averagePrecisionScore([0, 1, 2], [0.5, 0.2, 0.1]))).toBe('yTrue');
    expect(argumentOf(() => rocAucScore([1, 1], [0.5, 0.2]))).toBe('yTrue');
    expect(argumentOf(() => rocAucScore([0, 1, 2], [[0.5, 0.5, 0], [0.2, 0.8, 0], [0, 0, 1]]))).toBe('multiClass');
    expect(argumentOf(() => rocAucScore([0, 1, 2], [[0.5, 0.6, 0], [0.2, 0.8, 0], [0, 0, 1]], { multiClass: 'ovr' }))).toBe('yScore[0]');
    expect(argumentOf(() => rocAucScore([0, 1], [0.5, 0.2], { average: 'median' as never }))).toBe('average');
    expect(argumentOf(() => averagePrecisionScore([[0, 1]], [[0.5]]))).toBe('yScore[0]');
    // Multilabel rows: the first bad entry of the first bad row, target before score.
    expect(argumentOf(() => averagePrecisionScore([[0, 1], [0, 2]], [[0.1, 0.2], [0.3, 0.4]]))).toBe('yTrue[1][1]');
    expect(argumentOf(() => averagePrecisionScore([[0, 1], [true, 0]] as never, [[0.1, 0.2], [0.3, 0.4]]))).toBe('yTrue[1][0]');
    expect(argumentOf(() => rocAucScore([[0, 1], [1, 2]], [[0.1, 0.2], [Number.NaN, 0.4]]))).toBe('yScore[1][0]');
    expect(argumentOf(() => rocAucScore([[0, 1], [1, 0]], [[0.1, 0.2], [0.3, '0.4' as never]]))).toBe('yScore[1][1]');
    expect(argumentOf(() => rocAucScore([[0, 1], [1, 0]], [[0.1, 0.2], [0.3, Number.POSITIVE_INFINITY]]))).toBe('yScore[1][1]');
  });
});
