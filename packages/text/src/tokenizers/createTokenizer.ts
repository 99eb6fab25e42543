import { ConfigError } from '@polyfuse/core';
import type { Tokenizer, TokenizerState } from './tokenizer.js';
import { WordTokenizer } from './wordTokenizer.js';
import { CharTokenizer } from './charTokenizer.js';
import { HuggingFaceTokenizer } from './huggingface/huggingFaceTokenizer.js';
import type { VocabularyTokenizerOptions } from './vocabularyTokenizer.js';

export const tokenizerTypes = ['word', 'char', 'huggingface'] as const;
export type TokenizerType = (typeof tokenizerTypes)[number];

/**
 * Builds a tokenizer from its type and options, or rebuilds one from
 * `tokenizer.toJSON()`. `huggingface` needs `json` (a parsed tokenizer.json).
 */
export function createTokenizer(state: TokenizerState | ({ type: string } & VocabularyTokenizerOptions & { json?: unknown })): Tokenizer {
  const { type, ...options } = state as { type: string } & Record<string, unknown>;
  switch (type) {
    case 'word':
      return new WordTokenizer(options as VocabularyTokenizerOptions);
    case 'char':
      return new CharTokenizer(options as VocabularyTokenizerOptions);
    case 'huggingface':
      if (!options.json) throw new ConfigError(`A huggingface tokenizer needs its tokenizer.json (the 'json' option or 'tokenizerFile').`);
      return new HuggingFaceTokenizer(options.json);
    default:
      throw new ConfigError(`Unknown tokenizer type ${JSON.stringify(type)}. Expected one of: ${tokenizerTypes.join(', ')}.`);
  }
}
