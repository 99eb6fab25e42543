import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MetricInputError, corpusBleu, sentenceBleu } from '../../index.js';

const geo = (...p: number[]) => Math.exp(p.reduce((s, x) => s + Math.log(x), 0) / p.length);

describe('corpusBleu (sacrebleu 2.x)', () => {
  it("reproduces sacrebleu's documented example: 48.53 82.4/50.0/45.5/37.5 (BP = 0.943, 17/18)", () => {
    const hypotheses = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
    const references = [
      ['The dog bit the man.', 'The dog had bit the man.'],
      ['It was not unexpected.', 'No one was surprised.'],
      ['The man bit him first.', 'The man had bitten the dog.'],
    ];
    const bleu = corpusBleu(hypotheses, references);
    expect(bleu.score.toFixed(2)).toBe('48.53');
    expect(bleu.precisions.map((p) => p.toFixed(1))).toEqual(['82.4', '50.0', '45.5', '37.5']);
    expect(bleu.bp.toFixed(3)).toBe('0.943');
    expect([bleu.sysLen, bleu.refLen]).toEqual([17, 18]);
    expect(bleu.counts).toEqual([14, 7, 5, 3]);
    expect(bleu.totals).toEqual([17, 14, 11, 8]);
  });

  // "a b c d" against "a b x d": matches 3/4, 1/3, 0/2, 0/1; equal lengths, BP = 1.
  const hyp = ['a b c d'];
  const ref = [['a b x d']];
  it.each([
    ['exp', undefined, geo(75, 100 / 3, 100 / 4, 100 / 4), [3, 1, 0, 0], [4, 3, 2, 1]], // k-th zero -> 100 / (2^k · total)
    ['floor', undefined, geo(75, 100 / 3, (100 * 0.1) / 2, (100 * 0.1) / 1), [3, 1, 0, 0], [4, 3, 2, 1]],
    ['floor', 0.5, geo(75, 100 / 3, (100 * 0.5) / 2, (100 * 0.5) / 1), [3, 1, 0, 0], [4, 3, 2, 1]],
    ['add-k', undefined, geo(75, 50, 100 / 3, 50), [3, 2, 1, 1], [4, 4, 3, 2]], // k = 1 added from bigrams on
    ['none', undefined, 0, [3, 1, 0, 0], [4, 3, 2, 1]],
  ] as const)('smoothMethod %s (value %s)', (smoothMethod, smoothValue, score, counts, totals) => {
    const bleu = corpusBleu(hyp, ref, { tokenize: 'none', smoothMethod, smoothValue });
    expect(bleu.score).toBeCloseTo(score, 12);
    expect(bleu.counts).toEqual(counts);
    expect(bleu.totals).toEqual(totals);
  });

  it('uses the effective order only when asked (corpus default: off)', () => {
    // "a b" has no 3- or 4-grams: without effective order their precision is 0.
    expect(corpusBleu(['a b'], [['a b']]).score).toBe(0);
    expect(corpusBleu(['a b'], [['a b']], { useEffectiveOrder: true }).score).toBeCloseTo(100, 12);
  });

  it('picks the closest reference length, the shorter on ties, and clips counts', () => {
    const bleu = corpusBleu(['the the the the the'], [['the cat sat', 'the cat sat on the mat .']], { tokenize: 'none' });
    expect(bleu.refLen).toBe(3);
    expect(bleu.bp).toBe(1);
    expect(bleu.counts[0]).toBe(2); // "the" occurs at most twice in one reference
  });

  it('scores empty hypotheses 0 with a zero brevity penalty', () => {
    const bleu = corpusBleu([''], [['a cat']]);
    expect(bleu).toMatchObject({ score: 0, bp: 0, sysLen: 0, refLen: 2 });
  });

  it('lowercases when asked', () => {
    expect(corpusBleu(['The Cat Sat On The Mat'], [['the cat sat on the mat']], { lowercase: true }).score).toBeCloseTo(100, 12);
    expect(corpusBleu(['The Cat Sat On The Mat'], [['the cat sat on the mat']]).score).toBeLessThan(100);
  });

  it('equals 100 × nltk corpus_bleu on tokens when every sentence has 4-grams', () => {
    const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/nltk_bleu.json', import.meta.url), 'utf8')) as {
      cases: { name: string; hypotheses: string[][]; references: string[][][]; none: number }[];
    };
    const long = fixture.cases.find((c) => c.name === 'long sentences')!;
    const bleu = corpusBleu(long.hypotheses.map((h) => h.join(' ')), long.references.map((rs) => rs.map((r) => r.join(' '))), { tokenize: 'none', smoothMethod: 'none' });
    expect(bleu.score).toBeCloseTo(100 * long.none, 10);
  });

  it('rejects bad input naming the argument', () => {
    expect(() => corpusBleu(['a'], [['a'], ['b']])).toThrow(/references/);
    expect(() => corpusBleu([], [])).toThrow(MetricInputError);
    expect(() => corpusBleu(['a'], [[]])).toThrow(/references\[0\]/);
    expect(() => corpusBleu(['a'], [['a']], { smoothMethod: 'add-one' as never })).toThrow(/smoothMethod/);
    expect(() => corpusBleu(['a'], [['a']], { tokenize: 'intl' as never })).toThrow(/tokenize/);
    expect(() => corpusBleu([3 as never], [['a']])).toThrow(/hypotheses\[0\]/);
  });
});

describe('sentenceBleu (sacrebleu 2.x defaults: exp smoothing, effective order)', () => {
  it('averages only over the orders present', () => {
    // 3 tokens: precisions 100/100/100, no 4-grams -> effective order 3; BP = exp(1 - 6/3).
    const bleu = sentenceBleu('the cat sat', ['the cat sat on the mat']);
    expect(bleu.score).toBeCloseTo(100 * Math.exp(-1), 12);
    expect(bleu.precisions).toEqual([100, 100, 100, 0]);
  });

  it('smooths a missing 4-gram match with exp', () => {
    // "the cat sat down" vs "the cat sat up": 3/4, 2/3, 1/2, 0/1 -> p4 = 100 / (2 · 1).
    const bleu = sentenceBleu('the cat sat down', ['the cat sat up']);
    expect(bleu.score).toBeCloseTo(geo(75, 200 / 3, 50, 50), 12);
  });
});
