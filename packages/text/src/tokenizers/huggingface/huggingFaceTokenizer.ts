import { ConfigError, InputError } from '@polyfuse/core';
import type { Tokenizer, TokenizerState } from '../tokenizer.js';
import { buildNormalizer, type Normalizer } from './normalizer.js';
import { buildPreTokenizer, type PreTokenizer } from './preTokenizer.js';
import { buildModel, type SubwordModel } from './models.js';
import { buildPostProcessor, type PostProcessor } from './postProcessor.js';
import { buildDecoder, type TokenDecoder } from './decoder.js';

interface AddedToken {
  id: number;
  content: string;
  special?: boolean;
}

/**
 * A tokenizer loaded from a HuggingFace `tokenizer.json` (the format of the
 * `tokenizers` library): normalizer → pre_tokenizer → model (WordPiece, BPE,
 * WordLevel) → post_processor, with added tokens matched verbatim before
 * normalisation. Encodes single sequences as `tokenizer.encode(text).ids`
 * does with the same file. Unsupported component types throw a ConfigError
 * naming the component.
 */
export class HuggingFaceTokenizer implements Tokenizer {
  readonly type = 'huggingface';
  readonly json: Record<string, unknown>;
  readonly model: SubwordModel;
  readonly padId: number;
  readonly unkId: number | undefined;
  readonly bosId: number | undefined;
  readonly eosId: number | undefined;
  private readonly normalize: Normalizer;
  private readonly preTokenize: PreTokenizer;
  private readonly postProcess: PostProcessor;
  private readonly decodeTokens: TokenDecoder;
  private readonly idToTokenMap: Map<number, string>;
  private readonly added: AddedToken[];
  private readonly addedIds: Map<string, number>;
  private readonly specialIds: Set<number>;
  private readonly addedPattern?: RegExp;

  constructor(json: unknown) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError('tokenizer.json must be a JSON object.');
    this.json = json as Record<string, unknown>;
    const spec = this.json as Record<string, never>;
    this.model = buildModel(spec.model);
    this.normalize = buildNormalizer(spec.normalizer);
    this.preTokenize = buildPreTokenizer(spec.pre_tokenizer);
    this.postProcess = buildPostProcessor(spec.post_processor);
    this.decodeTokens = buildDecoder(spec.decoder);
    this.added = ((spec.added_tokens as AddedToken[] | undefined) ?? []).filter((t) => typeof t.content === 'string' && Number.isInteger(t.id));
    this.addedIds = new Map(this.added.map((t) => [t.content, t.id]));
    this.idToTokenMap = new Map([...this.model.vocab].map(([token, id]) => [id, token]));
    for (const token of this.added) this.idToTokenMap.set(token.id, token.content);
    this.specialIds = new Set(this.added.filter((t) => t.special).map((t) => t.id));
    if (this.added.length > 0) {
      const escaped = [...this.added].sort((a, b) => b.content.length - a.content.length).map((t) => t.content.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.addedPattern = new RegExp(`(${escaped.join('|')})`, 'u');
    }
    const find = (...names: string[]) => names.map((n) => this.tokenToId(n)).find((id) => id !== undefined);
    const padding = this.json.padding as { pad_id?: number } | null | undefined;
    this.padId = padding?.pad_id ?? find('[PAD]', '<pad>', '<|padding|>') ?? 0;
    this.unkId = this.model.unkToken !== undefined ? this.tokenToId(this.model.unkToken) : undefined;
    this.bosId = find('[CLS]', '<s>', '<bos>', '<|startoftext|>', '<|endoftext|>');
    this.eosId = find('[SEP]', '</s>', '<eos>', '<|endoftext|>');
  }

  get vocabSize(): number {
    return Math.max(...this.idToTokenMap.keys()) + 1;
  }

  tokenize(text: string): string[] {
    if (typeof text !== 'string') throw new InputError(`huggingface tokenizer: expected a string, got ${typeof text}.`);
    const pieces = this.addedPattern ? text.split(this.addedPattern) : [text];
    const tokens: string[] = [];
    pieces.forEach((piece, i) => {
      if (piece === '') return;
      if (this.addedPattern && i % 2 === 1) tokens.push(piece);
      else for (const word of this.preTokenize(this.normalize(piece))) tokens.push(...this.model.tokenizeWord(word));
    });
    return tokens;
  }

  encode(text: string): number[] {
    const ids = this.tokenize(text).map((token) => {
      const id = this.tokenToId(token);
      if (id === undefined) throw new ConfigError(`tokenizer.json: token ${JSON.stringify(token)} has no id.`);
      return id;
    });
    return this.postProcess(ids);
  }

  decode(ids: readonly number[], options: { skipSpecial?: boolean } = {}): string {
    const skip = options.skipSpecial ?? true;
    const tokens = ids.filter((id) => !(skip && (this.specialIds.has(id) || id === this.padId))).map((id) => this.idToTokenMap.get(id) ?? '');
    return this.decodeTokens(tokens);
  }

  idToToken(id: number): string | undefined {
    return this.idToTokenMap.get(id);
  }

  tokenToId(token: string): number | undefined {
    return this.addedIds.get(token) ?? this.model.vocab.get(token);
  }

  toJSON(): TokenizerState {
    return { type: 'huggingface', json: this.json };
  }
}
