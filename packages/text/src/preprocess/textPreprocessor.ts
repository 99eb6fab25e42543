import { ConfigError, InputError, registry, validateConfig, type PreprocessContext, type Preprocessor } from '@polyfuse/core';
import type { Tokenizer, TokenizerState } from '../tokenizers/tokenizer.js';
import { createTokenizer } from '../tokenizers/createTokenizer.js';
import { VocabularyTokenizer } from '../tokenizers/vocabularyTokenizer.js';
import { padSequence } from '../tokenizers/padSequence.js';
import { textPreprocessorSchema, type TextPreprocessorConfig } from './textPreprocessorConfig.js';

/**
 * Text → int32 token ids `[maxLength]`. Word and char tokenizers learn their
 * vocabulary in `fit` (training texts only); `getState`/`setState` carry it
 * into a saved model. Empty or whitespace-only text is an InputError.
 *
 * This browser-safe class takes inline text; `@polyfuse/text/node` also
 * reads `.txt` paths and `tokenizerFile`.
 */
export class TextPreprocessor implements Preprocessor {
  readonly config: TextPreprocessorConfig & Record<string, unknown>;
  readonly outputShape: number[];
  /** Training and evaluation process alike: no augmentation. */
  readonly augments = false;
  readonly dtype = 'int32' as const;
  tokenizer: Tokenizer;

  constructor(config: Partial<TextPreprocessorConfig> & { maxLength: number }, path = 'preprocessor/text') {
    this.config = validateConfig<TextPreprocessorConfig & Record<string, unknown>>(textPreprocessorSchema, config as Record<string, unknown>, path);
    this.outputShape = [this.config.maxLength];
    this.tokenizer = this.buildTokenizer();
  }

  /** Builds the (unfitted) tokenizer the config names. */
  protected buildTokenizer(): Tokenizer {
    const c = this.config;
    if (c.tokenizer === 'huggingface') {
      if (!c.tokenizerJson) {
        throw new ConfigError(
          c.tokenizerFile ? `preprocessor/text.tokenizerFile needs '@polyfuse/text/node' (file access); in a browser pass tokenizerJson.` : `preprocessor/text: tokenizer 'huggingface' needs tokenizerJson (or tokenizerFile in Node).`,
        );
      }
      return createTokenizer({ type: 'huggingface', json: c.tokenizerJson });
    }
    return createTokenizer({ type: c.tokenizer, lowercase: c.lowercase, minFrequency: c.minFrequency, maxSize: c.maxVocabSize, addBosEos: c.addBosEos });
  }

  /** The text of one value: inline text here; Node also reads files. */
  protected async readText(value: unknown, _baseDir: string): Promise<{ text: string; source: string }> {
    if (typeof value !== 'string') throw new InputError(`preprocessor/text expects a string, got ${value === null ? 'null' : typeof value}.`);
    return { text: value, source: 'text' };
  }

  async fit(values: unknown[], context: { baseDir: string }): Promise<void> {
    if (!(this.tokenizer instanceof VocabularyTokenizer)) return; // pretrained vocabularies are fixed
    const texts: string[] = [];
    for (const value of values) {
      try {
        texts.push((await this.readText(value, context.baseDir)).text);
      } catch (error) {
        // An unreadable sample (missing file, not valid UTF-8) is reported as a bad sample when it is processed.
        if (!(error instanceof InputError)) throw error;
      }
    }
    if (texts.every((t) => t.trim() === '')) throw new InputError('preprocessor/text.fit: every training text is empty; cannot build a vocabulary.');
    this.tokenizer.fit(texts);
  }

  async process(value: unknown, context: PreprocessContext): Promise<Int32Array> {
    const { text, source } = await this.readText(value, context.baseDir);
    if (text.trim() === '') throw new InputError(`${source === 'text' ? 'preprocessor/text' : source}: the text is empty.`);
    return padSequence(this.tokenizer.encode(text), this.config.maxLength, this.tokenizer.padId, this.config.truncation);
  }

  /** Vocabulary size for the encoder's `vocabSize` (after `fit` for word/char). */
  get vocabSize(): number {
    return this.tokenizer.vocabSize;
  }

  getState(): TokenizerState {
    return this.tokenizer.toJSON();
  }

  setState(state: unknown): void {
    if (typeof state !== 'object' || state === null || typeof (state as TokenizerState).type !== 'string') {
      throw new ConfigError('preprocessor/text.setState: expected a tokenizer state object with a "type".');
    }
    this.tokenizer = createTokenizer(state as TokenizerState);
  }
}

registry.register(
  {
    kind: 'preprocessor',
    name: 'text',
    description: 'Text → int32 token ids [maxLength] (word, char or HuggingFace tokenizer).',
    schema: textPreprocessorSchema,
    create: (config: TextPreprocessorConfig) => new TextPreprocessor(config),
  },
  { override: true },
);
