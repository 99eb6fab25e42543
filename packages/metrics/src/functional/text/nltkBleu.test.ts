import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MetricInputError, nltkCorpusBleu } from '../../index.js';

interface Case {
  name: string;
  hypotheses: string[][];
  references: string[][][];
  none: number;
  method1: number;
}

// Written by fixtures/generate.py with nltk 3.8.
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/nltk_bleu.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('nltkCorpusBleu matches nltk 3.8 corpus_bleu', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: no smoothing and method1`, () => {
      const none = nltkCorpusBleu(c.hypotheses, c.references);
      const method1 = nltkCorpusBleu(c.hypotheses, c.references, { smoothing: 'method1' });
      // Relative tolerance: method0 turns a zero precision into 2.2e-308, giving scores near 1e-77.
      expect(Math.abs(none - c.none)).toBeLessThanOrEqual(1e-12 * Math.abs(c.none));
      expect(Math.abs(method1 - c.method1)).toBeLessThanOrEqual(1e-12 * Math.abs(c.method1));
    });
  }

  it('rejects bad input naming the argument', () => {
    expect(() => nltkCorpusBleu([['a']], [[['a']], [['b']]])).toThrow(MetricInputError);
    expect(() => nltkCorpusBleu([['a', 3 as never]], [[['a']]])).toThrow(/hypotheses\[0\]\[1\]/);
    expect(() => nltkCorpusBleu([['a']], [[]])).toThrow(/references\[0\]/);
    expect(() => nltkCorpusBleu([['a']], [[['a']]], { smoothing: 'method7' as never })).toThrow(/smoothing/);
  });
});
