import { VocabularyTokenizer, type VocabularyTokenizerOptions } from './vocabularyTokenizer.js';

/**
 * Character-level tokenizer: one token per Unicode code point (so an emoji
 * or an accented letter is one token), spaces included. Case is kept unless
 * `lowercase` is set. Decoding concatenates.
 */
export class CharTokenizer extends VocabularyTokenizer {
  readonly type = 'char';

  constructor(options: VocabularyTokenizerOptions = {}) {
    super(options, false);
  }

  protected split(text: string): string[] {
    return Array.from(text);
  }

  protected join(tokens: string[]): string {
    return tokens.join('');
  }
}
