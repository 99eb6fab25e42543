import { describe, expect, it } from 'vitest';
import { binaryCurve } from './binaryCurve.js';

/** scikit-learn's `_binary_clf_curve` written plainly: a comparison sort, then one point per distinct score. */
function plainCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): { fps: number[]; tps: number[] } {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const fps: number[] = [];
  const tps: number[] = [];
  let tp = 0;
  let fp = 0;
  order.forEach((i, r) => {
    if (positive[i]) tp++;
    else fp++;
    if (r === order.length - 1 || scores[order[r + 1]] !== scores[i]) {
      fps.push(fp);
      tps.push(tp);
    }
  });
  return { fps, tps };
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function expectPlainCurve(positive: ArrayLike<number>, scores: ArrayLike<number>): void {
  const { fps, tps } = binaryCurve(positive, scores);
  const expected = plainCurve(positive, scores);
  expect(Array.from(tps)).toEqual(expected.tps);
  expect(Array.from(fps)).toEqual(expected.fps);
}

describe('binaryCurve', () => {
  const rand = lcg(7);
  const labels = (n: number) => Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0));
  const cases: [string, (n: number) => number[]][] = [
    ['uniform scores', (n) => Array.from({ length: n }, rand)],
    ['scores rounded to 1e-3 (ties)', (n) => Array.from({ length: n }, () => Math.round(rand() * 1e3) / 1e3)],
    ['scores over 600 orders of magnitude, both signs', (n) => Array.from({ length: n }, () => (rand() < 0.3 ? -1 : 1) * 10 ** ((rand() - 0.5) * 600))],
    ['+0, -0 and subnormals', (n) => Array.from({ length: n }, () => [0, -0, 5e-324, -5e-324, 1e-310, 1][Math.floor(rand() * 6)])],
    ['the extremes of float64 (the range overflows)', (n) => Array.from({ length: n }, () => [-Number.MAX_VALUE, Number.MAX_VALUE, 0, 1][Math.floor(rand() * 4)])],
    ['one score with rare outliers', (n) => Array.from({ length: n }, () => (rand() < 0.995 ? 0.5 : rand() * 1e6))],
    ['all equal', (n) => Array.from({ length: n }, () => 3)],
    ['two clusters a few ulps wide', (n) => Array.from({ length: n }, () => (rand() < 0.5 ? 1 : 1000) * (1 + Math.floor(rand() * 8) * Number.EPSILON))],
    ['over 60 orders of magnitude with ±0 (as the benchmark)', (n) => Array.from({ length: n }, () => (rand() < 0.01 ? (rand() < 0.5 ? -0 : 0) : (rand() < 0.1 ? -1 : 1) * Math.exp((rand() - 0.5) * 140)))],
    ['five distinct scores', (n) => Array.from({ length: n }, () => Math.floor(rand() * 5) / 4)],
  ];
  for (const [name, scores] of cases) {
    it(`matches a plain sort: ${name}`, () => {
      // Around insertion sort (16) and one radix pass versus two (511 | 512).
      for (const n of [1, 2, 15, 16, 17, 100, 511, 512, 513, 5000, 60000]) expectPlainCurve(labels(n), scores(n));
    });
  }

  it('matches a plain sort with one class only', () => {
    const scores = Array.from({ length: 3000 }, rand);
    expectPlainCurve(scores.map(() => 1), scores);
    expectPlainCurve(scores.map(() => 0), scores);
  });

  it('reads labels and scores from plain arrays and typed arrays alike', () => {
    const scores = Array.from({ length: 1000 }, () => Math.round(rand() * 50) / 50);
    const positive = labels(1000);
    expectPlainCurve(Uint8Array.from(positive), Float64Array.from(scores));
    expectPlainCurve(positive, scores);
  });

  it('groups -0 and 0 as one threshold, as numpy does', () => {
    const { fps, tps } = binaryCurve([1, 0, 1, 0], [0, -0, -0, 0]);
    expect(Array.from(tps)).toEqual([2]);
    expect(Array.from(fps)).toEqual([2]);
  });
});
