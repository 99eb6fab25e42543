import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError } from '@polyfuse/core';
import { HuggingFaceTokenizer, createTokenizer } from '../../index.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/${name}`, import.meta.url), 'utf8'));

describe('HuggingFace tokenizer.json: WordPiece (BERT-style)', () => {
  const tokenizer = new HuggingFaceTokenizer(fixture('wordpiece-tokenizer.json'));

  it('lower-cases, splits punctuation and wraps in [CLS] … [SEP]', () => {
    expect(tokenizer.tokenize('The cat sat on the mat.')).toEqual(['the', 'cat', 'sat', 'on', 'the', 'mat', '.']);
    expect(tokenizer.encode('The cat sat on the mat.')).toEqual([2, 5, 6, 7, 8, 5, 9, 17, 3]);
  });

  it('splits words greedily into the longest known pieces', () => {
    // unaffable: "un" is the longest prefix in the vocab, then "##aff", then "##able".
    expect(tokenizer.tokenize('Unaffable playing!')).toEqual(['un', '##aff', '##able', 'play', '##ing', '!']);
    expect(tokenizer.encode('Unaffable playing!')).toEqual([2, 10, 11, 12, 13, 14, 18, 3]);
  });

  it('strips accents (strip_accents follows lowercase) and maps whole unmatchable words to [UNK]', () => {
    expect(tokenizer.tokenize('Café cats')).toEqual(['cafe', 'cat', '##s']);
    expect(tokenizer.tokenize('dog ab abc')).toEqual(['[UNK]', 'a', '##b', '[UNK]']); // "abc": a, ##b, then "c" matches nothing
    expect(tokenizer.unkId).toBe(1);
    expect(tokenizer.padId).toBe(0);
  });

  it('keeps added special tokens written in the text', () => {
    expect(tokenizer.encode('the [MASK] sat')).toEqual([2, 5, 4, 7, 3]);
  });

  it('decodes, gluing ## pieces and dropping special tokens', () => {
    expect(tokenizer.decode([2, 10, 11, 12, 13, 14, 18, 3])).toBe('unaffable playing!');
    expect(tokenizer.decode([2, 5, 6, 3], { skipSpecial: false })).toBe('[CLS] the cat [SEP]');
  });
});

describe('HuggingFace tokenizer.json: byte-level BPE (GPT-2-style)', () => {
  const tokenizer = new HuggingFaceTokenizer(fixture('bpe-tokenizer.json'));

  it('applies merges by rank, not by length', () => {
    // " lower" → Ġ l o w e r. Lowest-rank pair first: (l,o)#0 → lo, (lo,w)#1 → low, (e,r)#5 → er.
    // "Ġ low" is not a listed merge (only "Ġlo w" is, and Ġlo never forms), so Ġlower is never reached.
    expect(tokenizer.tokenize('low lower lowest')).toEqual(['low', 'Ġ', 'low', 'er', 'Ġ', 'low', 'est']);
    expect(tokenizer.encode('low lower lowest')).toEqual([11, 8, 11, 15, 8, 11, 18]);
    expect(tokenizer.tokenize('lol')).toEqual(['lo', 'l']);
  });

  it('decodes bytes back to the original text', () => {
    expect(tokenizer.decode([11, 8, 11, 15, 8, 11, 18])).toBe('low lower lowest');
  });

  it('adds a prefix space when add_prefix_space is set', () => {
    const json = fixture('bpe-tokenizer.json');
    json.pre_tokenizer.add_prefix_space = true;
    expect(new HuggingFaceTokenizer(json).encode('low')).toEqual([8, 11]);
  });

  it('rebuilds from its state', () => {
    const again = createTokenizer(tokenizer.toJSON());
    expect(again.encode('lowest')).toEqual(tokenizer.encode('lowest'));
  });
});

describe('HuggingFace tokenizer.json errors', () => {
  it('names unsupported component types', () => {
    const json = fixture('wordpiece-tokenizer.json');
    json.model.type = 'Unigram';
    expect(() => new HuggingFaceTokenizer(json)).toThrow(/tokenizer.json model.type "Unigram" is not supported/);
    const other = fixture('wordpiece-tokenizer.json');
    other.pre_tokenizer = { type: 'Split' };
    expect(() => new HuggingFaceTokenizer(other)).toThrow(ConfigError);
    expect(() => new HuggingFaceTokenizer('nope')).toThrow(/must be a JSON object/);
    expect(() => createTokenizer({ type: 'sentencepiece' })).toThrow(/Unknown tokenizer type "sentencepiece"/);
  });
});
