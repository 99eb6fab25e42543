import { describe, expect, it } from 'vitest';
import { sortByLabel } from './sortByLabel.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Distinct scores, descending (ties by ===, so -0 and 0 are one), with how many scores and positives each has. */
type Groups = { score: number; count: number; positives: number }[];

function groupsOf(values: ArrayLike<number>, labels: ArrayLike<number>): Groups {
  const groups: Groups = [];
  for (let i = 0; i < values.length; i++) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last.score === values[i]) {
      last.count++;
      last.positives += labels[i];
    } else groups.push({ score: values[i] + 0, count: 1, positives: labels[i] }); // + 0: -0 and 0 are one group
  }
  return groups;
}

/** The plain reference: a comparison sort of (score, label) pairs. */
function plainGroups(scores: readonly number[], labels: readonly number[]): Groups {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  return groupsOf(order.map((i) => scores[i]), order.map((i) => labels[i]));
}

/** Runs `sortByLabel` as `binaryCurve` does: positives at the front of `split`, negatives at its back. */
function sortPairs(scores: readonly number[], labels: readonly number[]): { values: Float64Array; labels: Uint8Array } {
  const m = scores.length;
  const split = new Float64Array(m);
  let nPos = 0;
  let nNeg = 0;
  scores.forEach((v, i) => {
    if (labels[i]) split[nPos++] = v;
    else split[m - 1 - nNeg++] = v;
  });
  const out = new Float64Array(m);
  const outLabels = new Uint8Array(m);
  const min = scores.reduce((a, b) => Math.min(a, b), Infinity);
  const max = scores.reduce((a, b) => Math.max(a, b), -Infinity);
  sortByLabel(split, nPos, new Float64Array(m), out, outLabels, min, max);
  return { values: out, labels: outLabels };
}

function expectSorted(scores: readonly number[], labels: readonly number[]): void {
  const { values, labels: sortedLabels } = sortPairs(scores, labels);
  let i = 1;
  while (i < values.length && values[i] <= values[i - 1]) i++;
  expect(i >= values.length, `order at ${i}: ${values[i - 1]}, ${values[i]}`).toBe(true);
  expect(groupsOf(values, sortedLabels)).toEqual(plainGroups(scores, labels));
}

describe('sortByLabel', () => {
  const rand = lcg(11);
  const rand53 = () => (Math.floor(rand() * 2 ** 26) * 2 ** 27 + Math.floor(rand() * 2 ** 27)) / 2 ** 53;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const distributions: [string, () => number][] = [
    ['uniform 53-bit scores (linear map)', rand53],
    ['scores rounded to 1e-3 (many ties)', () => Math.round(rand() * 1e3) / 1e3],
    ['five distinct scores', () => pick([0.1, 0.2, 0.3, 0.4, 0.5])],
    ['over 60 orders of magnitude, both signs, ±0 (bit-pattern map)', () => (rand() < 0.02 ? pick([0, -0]) : (rand() < 0.1 ? -1 : 1) * Math.exp((rand53() - 0.5) * 140))],
    ['over 600 orders of magnitude', () => (rand() < 0.3 ? -1 : 1) * 10 ** ((rand() - 0.5) * 600)],
    ['+0, -0 and subnormals (a crowded quantum whose range has no finite scale)', () => pick([0, -0, 5e-324, -5e-324, 1e-310, 1])],
    ['the extremes of float64 (the range overflows)', () => pick([-Number.MAX_VALUE, Number.MAX_VALUE, 0, 1, -1e300])],
    ['two clusters a few ulps wide (crowded quanta, sorted again)', () => (rand() < 0.5 ? 1 : 1000) * (1 + Math.floor(rand() * 8) * Number.EPSILON)],
    ['a narrow cluster and far outliers', () => (rand() < 0.99 ? 0.5 + rand() * 1e-9 : 1e6 * rand())],
    ['integers', () => Math.floor(rand() * 100) - 50],
    // The linear map suits the uniform scores; the powers of two crowd its last quantum at every
    // level of re-sorting, down to the native sort.
    ['uniform scores and tiny powers of two', () => (rand() < 0.9 ? rand() : 2 ** -Math.floor(rand() * 1000))],
  ];
  // Around insertion sort (16), one pass versus two (511 | 512) and the 2^21-quanta cap (2^18).
  const sizes = [0, 1, 2, 3, 15, 16, 17, 100, 511, 512, 513, 5000];
  for (const [name, score] of distributions) {
    it(`matches a plain sort: ${name}`, () => {
      for (const m of sizes) {
        for (const share of [0, 0.3, 1]) {
          const scores = Array.from({ length: m }, score);
          const labels = scores.map(() => (rand() < share ? 1 : 0));
          expectSorted(scores, labels);
        }
      }
    });
  }

  it('matches a plain sort around the 2^21-quanta cap', () => {
    for (const m of [2 ** 18 - 1, 2 ** 18]) {
      const scores = Array.from({ length: m }, () => (rand() < 0.5 ? rand53() : Math.exp((rand() - 0.5) * 100)));
      const labels = scores.map(() => (rand() < 0.3 ? 1 : 0));
      expectSorted(scores, labels);
    }
  });

  it('keeps +0 and -0 next to each other', () => {
    const scores = [0, -0, 1, -0, 0, -1, -0, 0];
    const { values } = sortPairs(scores, [1, 0, 1, 1, 0, 0, 1, 0]);
    expect(Array.from(values.subarray(1, 7)).every((v) => v === 0)).toBe(true);
  });
});
