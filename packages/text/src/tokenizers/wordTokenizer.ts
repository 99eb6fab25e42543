import { VocabularyTokenizer, type VocabularyTokenizerOptions } from './vocabularyTokenizer.js';

/**
 * Word-level tokenizer. Text is (optionally) lower-cased, then split into
 * runs of letters/marks/digits/apostrophes (`don't`, `x2`) and single
 * punctuation or symbol characters; whitespace separates and is dropped.
 * Decoding joins tokens with single spaces.
 */
export class WordTokenizer extends VocabularyTokenizer {
  readonly type = 'word';
  private static readonly pattern = /[\p{L}\p{M}\p{N}'’_]+|[^\s\p{L}\p{M}\p{N}'’_]/gu;

  constructor(options: VocabularyTokenizerOptions = {}) {
    super(options, true);
  }

  protected split(text: string): string[] {
    return text.match(WordTokenizer.pattern) ?? [];
  }

  protected join(tokens: string[]): string {
    return tokens.join(' ');
  }
}
