import { ConfigError, InputError } from '@polyfuse/core';
import type { Tokenizer, TokenizerState } from './tokenizer.js';
import { Vocabulary, countTokens, type VocabularyOptions } from './vocabulary.js';

/** Special tokens of the word and character tokenizers, with ids 0-3. */
export interface SpecialTokens {
  pad: string;
  unk: string;
  bos: string;
  eos: string;
}

export const defaultSpecialTokens: SpecialTokens = { pad: '<pad>', unk: '<unk>', bos: '<bos>', eos: '<eos>' };

/** Options shared by the word and character tokenizers. */
export interface VocabularyTokenizerOptions extends Omit<VocabularyOptions, 'specials'> {
  /** Lower-case text before splitting. */
  lowercase?: boolean;
  /** Names of the special tokens (ids 0-3: pad, unk, bos, eos). */
  specialTokens?: Partial<SpecialTokens>;
  /** Wrap encoded sequences in bos … eos. Default false. */
  addBosEos?: boolean;
  /** A vocabulary to use instead of fitting one (e.g. restored state). */
  vocabulary?: readonly string[];
}

/**
 * Base of the tokenizers whose vocabulary is learned from training text
 * (`fit`): pad = 0, unk = 1, bos = 2, eos = 3, then the corpus tokens.
 */
export abstract class VocabularyTokenizer implements Tokenizer {
  abstract readonly type: string;
  readonly lowercase: boolean;
  readonly specials: SpecialTokens;
  readonly addBosEos: boolean;
  readonly minFrequency: number;
  readonly maxSize: number;
  private vocabulary?: Vocabulary;

  constructor(options: VocabularyTokenizerOptions, defaultLowercase: boolean) {
    this.lowercase = options.lowercase ?? defaultLowercase;
    this.specials = { ...defaultSpecialTokens, ...options.specialTokens };
    this.addBosEos = options.addBosEos ?? false;
    this.minFrequency = options.minFrequency ?? 1;
    this.maxSize = options.maxSize ?? 0;
    if (options.vocabulary) this.setVocabulary(options.vocabulary);
  }

  /** Splits normalised text into tokens. */
  protected abstract split(text: string): string[];
  /** Joins tokens back into text. */
  protected abstract join(tokens: string[]): string;

  /** Builds the vocabulary from training texts (replacing any previous one). */
  fit(texts: Iterable<string>): this {
    const counts = countTokens((function* (self) {
      for (const text of texts) yield self.tokenize(text);
    })(this));
    const specials = [this.specials.pad, this.specials.unk, this.specials.bos, this.specials.eos];
    this.vocabulary = Vocabulary.fromCounts(counts, { minFrequency: this.minFrequency, maxSize: this.maxSize, specials });
    return this;
  }

  get fitted(): boolean {
    return this.vocabulary !== undefined;
  }

  get vocabSize(): number {
    return this.vocab().size;
  }

  readonly padId = 0;
  readonly unkId = 1;
  readonly bosId = 2;
  readonly eosId = 3;

  /** The vocabulary's tokens in id order. */
  get tokens(): readonly string[] {
    return this.vocab().tokens;
  }

  tokenize(text: string): string[] {
    if (typeof text !== 'string') throw new InputError(`${this.type} tokenizer: expected a string, got ${typeof text}.`);
    return this.split(this.lowercase ? text.toLowerCase() : text);
  }

  encode(text: string): number[] {
    const vocab = this.vocab();
    const ids = this.tokenize(text).map((t) => vocab.id(t) ?? this.unkId);
    return this.addBosEos ? [this.bosId, ...ids, this.eosId] : ids;
  }

  decode(ids: readonly number[], options: { skipSpecial?: boolean } = {}): string {
    const skip = options.skipSpecial ?? true;
    const vocab = this.vocab();
    const tokens = ids
      .filter((id) => !(skip && id >= 0 && id <= 3 && id !== this.unkId))
      .map((id) => vocab.token(id) ?? this.specials.unk);
    return this.join(tokens);
  }

  idToToken(id: number): string | undefined {
    return this.vocab().token(id);
  }

  tokenToId(token: string): number | undefined {
    return this.vocab().id(token);
  }

  toJSON(): TokenizerState {
    return {
      type: this.type,
      lowercase: this.lowercase,
      specialTokens: this.specials,
      addBosEos: this.addBosEos,
      minFrequency: this.minFrequency,
      maxSize: this.maxSize,
      vocabulary: [...this.vocab().tokens],
    };
  }

  private setVocabulary(tokens: readonly string[]): void {
    const specials = [this.specials.pad, this.specials.unk, this.specials.bos, this.specials.eos];
    specials.forEach((token, id) => {
      if (tokens[id] !== token) throw new ConfigError(`${this.type} tokenizer vocabulary: id ${id} must be ${JSON.stringify(token)}, got ${JSON.stringify(tokens[id])}.`);
    });
    this.vocabulary = new Vocabulary(tokens);
  }

  private vocab(): Vocabulary {
    if (!this.vocabulary) {
      throw new ConfigError(`The ${this.type} tokenizer has no vocabulary yet: call fit(trainingTexts) or restore its state first.`);
    }
    return this.vocabulary;
  }
}
