import type { ConfigSchema } from '@polyfuse/core';

/** Options of `preprocessor/text`. */
export interface TextPreprocessorConfig {
  /** `word`, `char`, or `huggingface` (needs `tokenizerJson`, or `tokenizerFile` in Node). Default `word`. */
  tokenizer: 'word' | 'char' | 'huggingface';
  /** Every sample becomes exactly this many ids: truncated, or padded with the pad id. */
  maxLength: number;
  /** Lower-case before splitting (word default true, char default false). */
  lowercase?: boolean;
  /** Word/char vocabulary: tokens seen fewer times in `fit` map to unk. Default 1. */
  minFrequency: number;
  /** Word/char vocabulary size cap, specials included; 0 = unlimited. Default 0. */
  maxVocabSize: number;
  /** Wrap each sequence in bos … eos (word/char). Default false. */
  addBosEos: boolean;
  /** Which end to cut when too long: `end` keeps the start. Default `end`. */
  truncation: 'end' | 'start';
  /** A parsed HuggingFace tokenizer.json. */
  tokenizerJson?: Record<string, unknown>;
  /** Node only: path to a tokenizer.json. */
  tokenizerFile?: string;
  /**
   * Node only: encoding of `.txt` files. Default `utf-8`, strictly: a file
   * that is not valid UTF-8 is a bad sample (an InputError naming the file
   * and the byte), never decoded with replacement characters. Any WHATWG
   * label (`latin1`, `windows-1252`, `utf-16le`, ...) decodes the file so.
   */
  encoding: string;
}

export const textPreprocessorSchema: ConfigSchema = {
  tokenizer: { type: 'string', enum: ['word', 'char', 'huggingface'], default: 'word', description: 'Tokenizer type.' },
  maxLength: { type: 'integer', min: 1, required: true, description: 'Token ids per sample (truncate / pad).' },
  lowercase: { type: 'boolean', description: 'Lower-case before splitting.' },
  minFrequency: { type: 'integer', min: 1, default: 1 },
  maxVocabSize: { type: 'integer', min: 0, default: 0 },
  addBosEos: { type: 'boolean', default: false },
  truncation: { type: 'string', enum: ['end', 'start'], default: 'end' },
  tokenizerJson: { type: 'object', description: 'A parsed HuggingFace tokenizer.json.' },
  tokenizerFile: { type: 'string', description: 'Node only: path to a HuggingFace tokenizer.json.' },
  encoding: { type: 'string', default: 'utf-8', description: "Node only: encoding of .txt files ('utf-8' is strict: invalid bytes make a bad sample; or 'latin1', 'windows-1252', ...)." },
};
