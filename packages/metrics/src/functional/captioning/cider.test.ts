import { describe, expect, it } from 'vitest';
import { MetricInputError, ciderD } from '../../index.js';

// Hand-derived from coco-caption's CiderScorer (CIDEr-D). With two images,
// idf = log(2) − log(max(1, df)) = log 2 for every n-gram below, so the
// tf-idf weights cancel in the cosine.
describe('ciderD', () => {
  it('gives 10 × mean over n of the cosine, averaged over images', () => {
    const result = ciderD(['a b', 'c d'], [['a b'], ['e f']]);
    // Image 1: unigram and bigram cosines are 1, no 3- or 4-grams: 10 · (1 + 1 + 0 + 0) / 4.
    expect(result.scores[0]).toBeCloseTo(5, 12);
    expect(result.scores[1]).toBe(0);
    expect(result.score).toBeCloseTo(2.5, 12);
  });

  it('clips the candidate weights and applies the gaussian length penalty on bigram counts', () => {
    const result = ciderD([['a', 'b', 'c'], ['c', 'd']], [[['a', 'b']], [['e', 'f']]]);
    // unigrams: 2 / (√3 · √2); bigrams: 1 / (√2 · 1); δ = 2 − 1 bigrams, σ = 6.
    const expected = ((2 / Math.sqrt(6) + 1 / Math.SQRT2) / 4) * Math.exp(-1 / 72) * 10;
    expect(result.scores[0]).toBeCloseTo(expected, 12);
  });

  it('averages over references', () => {
    const one = ciderD(['a b', 'c d'], [['a b', 'x y'], ['e f']]);
    // The second reference shares nothing with the candidate; its n-grams have df = 1 too.
    expect(one.scores[0]).toBeCloseTo(2.5, 12);
  });

  it('rejects bad input naming the argument', () => {
    expect(() => ciderD(['a'], [['a'], ['b']])).toThrow(MetricInputError);
    expect(() => ciderD(['a'], [[]])).toThrow(/references\[0\]/);
    expect(() => ciderD([['a', 1 as never]], [['a']])).toThrow(/candidates\[0\]\[1\]/);
  });
});
