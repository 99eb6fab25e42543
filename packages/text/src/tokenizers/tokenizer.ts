/** What every tokenizer does: text → tokens → ids, and back. */
export interface Tokenizer {
  /** `word`, `char` or `huggingface`: how `createTokenizer` rebuilds it from its state. */
  readonly type: string;
  readonly vocabSize: number;
  /** Id used to pad sequences to a fixed length. */
  readonly padId: number;
  /** Id of unknown tokens, if the tokenizer has one. */
  readonly unkId: number | undefined;
  /** Ids of the begin- and end-of-sequence tokens, if it has them (decoders need them). */
  readonly bosId: number | undefined;
  readonly eosId: number | undefined;
  /** Token strings of `text` (after normalisation), without added special tokens. */
  tokenize(text: string): string[];
  /** Token ids of `text`, including any special tokens the tokenizer adds (e.g. BERT's [CLS] … [SEP]). */
  encode(text: string): number[];
  /** Text of `ids`; special tokens (pad, bos, eos, …) are dropped unless `skipSpecial` is false. */
  decode(ids: readonly number[], options?: { skipSpecial?: boolean }): string;
  idToToken(id: number): string | undefined;
  tokenToId(token: string): number | undefined;
  /** JSON state that `createTokenizer` turns back into an identical tokenizer. */
  toJSON(): TokenizerState;
}

/** A tokenizer's saved form. */
export interface TokenizerState {
  type: string;
  [key: string]: unknown;
}
