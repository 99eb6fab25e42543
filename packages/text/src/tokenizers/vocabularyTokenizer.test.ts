import { describe, expect, it } from 'vitest';
import { ConfigError } from '@polyfuse/core';
import { CharTokenizer, WordTokenizer, createTokenizer, padSequence } from '../index.js';

const corpus = ['The cat sat on the mat.', 'The dog sat.', "A cat isn't a dog!"];

describe('WordTokenizer', () => {
  it('splits words and punctuation, lower-cased', () => {
    expect(new WordTokenizer().tokenize("A cat isn't a Dog!")).toEqual(['a', 'cat', "isn't", 'a', 'dog', '!']);
  });

  it('builds the vocabulary: specials first, then by count, ties in code-point order', () => {
    const tokenizer = new WordTokenizer().fit(corpus);
    // counts: the 3, cat 2, sat 2, . 2, a 2, dog 2, then once: !, isn't, mat, on
    expect(tokenizer.tokens).toEqual(['<pad>', '<unk>', '<bos>', '<eos>', 'the', '.', 'a', 'cat', 'dog', 'sat', '!', "isn't", 'mat', 'on']);
    expect(tokenizer.encode('the cat flew')).toEqual([4, 7, 1]);
  });

  it('honours minFrequency and maxSize (specials included in the size)', () => {
    expect(new WordTokenizer({ minFrequency: 2 }).fit(corpus).vocabSize).toBe(4 + 6);
    expect(new WordTokenizer({ maxSize: 6 }).fit(corpus).tokens.slice(4)).toEqual(['the', '.']);
  });

  it('wraps in bos/eos, decodes without specials, and round-trips its state', () => {
    const tokenizer = new WordTokenizer({ addBosEos: true }).fit(corpus);
    const ids = tokenizer.encode('The cat sat');
    expect(ids).toEqual([2, 4, 7, 9, 3]);
    expect(tokenizer.decode(ids)).toBe('the cat sat');
    const restored = createTokenizer(JSON.parse(JSON.stringify(tokenizer.toJSON())));
    expect(restored.encode('The cat sat')).toEqual(ids);
  });

  it('refuses to encode before fit, with a clear error', () => {
    expect(() => new WordTokenizer().encode('hello')).toThrow(/no vocabulary yet: call fit/);
    expect(() => new WordTokenizer({ vocabulary: ['a', 'b'] })).toThrow(ConfigError);
  });
});

describe('CharTokenizer', () => {
  it('uses one token per code point, case kept', () => {
    const tokenizer = new CharTokenizer().fit(['abba', 'Ab😀']);
    expect(tokenizer.tokenize('Ab😀')).toEqual(['A', 'b', '😀']);
    expect(tokenizer.tokens.slice(4)).toEqual(['b', 'a', 'A', '😀']);
    expect(tokenizer.decode(tokenizer.encode('ab😀'))).toBe('ab😀');
  });
});

describe('padSequence', () => {
  it('pads at the end and truncates at either end', () => {
    expect(Array.from(padSequence([5, 6], 4, 0))).toEqual([5, 6, 0, 0]);
    expect(Array.from(padSequence([1, 2, 3, 4, 5], 3, 0))).toEqual([1, 2, 3]);
    expect(Array.from(padSequence([1, 2, 3, 4, 5], 3, 0, 'start'))).toEqual([3, 4, 5]);
    expect(() => padSequence([1], 0, 0)).toThrow(/maxLength must be a positive integer/);
  });
});
