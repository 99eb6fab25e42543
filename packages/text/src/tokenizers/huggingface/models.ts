import { ConfigError } from '@polyfuse/core';
import { unsupported, type ComponentSpec } from './spec.js';

/** A tokenizer.json model: one pre-tokenized word → its tokens, plus the vocabulary. */
export interface SubwordModel {
  readonly type: 'WordPiece' | 'BPE' | 'WordLevel';
  readonly vocab: Map<string, number>;
  readonly unkToken: string | undefined;
  tokenizeWord(word: string): string[];
}

/** Builds the `model` of a tokenizer.json (WordPiece, BPE or WordLevel). */
export function buildModel(spec: ComponentSpec): SubwordModel {
  if (!spec) throw new ConfigError('tokenizer.json has no model.');
  const vocab = new Map<string, number>(Object.entries((spec.vocab as Record<string, number>) ?? {}));
  if (vocab.size === 0) throw new ConfigError(`tokenizer.json model.vocab is empty or missing.`);
  const unkToken = typeof spec.unk_token === 'string' ? spec.unk_token : undefined;
  if (unkToken !== undefined && !vocab.has(unkToken)) throw new ConfigError(`tokenizer.json model.unk_token ${JSON.stringify(unkToken)} is not in model.vocab.`);
  switch (spec.type) {
    case 'WordPiece':
      return wordPiece(vocab, unkToken ?? '[UNK]', String(spec.continuing_subword_prefix ?? '##'), Number(spec.max_input_chars_per_word ?? 100));
    case 'BPE':
      return bpe(vocab, unkToken, spec);
    case 'WordLevel':
      return { type: 'WordLevel', vocab, unkToken, tokenizeWord: (word) => [vocab.has(word) ? word : requireUnk(unkToken, word)] };
    default:
      throw unsupported('model', spec.type, ['WordPiece', 'BPE', 'WordLevel']);
  }
}

function requireUnk(unkToken: string | undefined, piece: string): string {
  if (unkToken === undefined) throw new ConfigError(`tokenizer.json: ${JSON.stringify(piece)} is not in the vocabulary and the model has no unk_token.`);
  return unkToken;
}

/**
 * WordPiece as in BERT and HF tokenizers: greedy longest-match-first from the
 * start of the word; pieces after the first carry the `##` prefix; if some
 * position matches nothing, or the word is longer than
 * `max_input_chars_per_word`, the whole word becomes the unknown token.
 */
function wordPiece(vocab: Map<string, number>, unkToken: string, prefix: string, maxChars: number): SubwordModel {
  const cache = new Map<string, string[]>();
  return {
    type: 'WordPiece',
    vocab,
    unkToken,
    tokenizeWord(word) {
      const cached = cache.get(word);
      if (cached) return cached;
      const pieces = split(word);
      if (cache.size < 50_000) cache.set(word, pieces);
      return pieces;
    },
  };

  function split(word: string): string[] {
    const chars = Array.from(word);
    if (chars.length > maxChars) return [unkToken];
    const pieces: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | undefined;
      while (start < end) {
        const piece = (start > 0 ? prefix : '') + chars.slice(start, end).join('');
        if (vocab.has(piece)) {
          found = piece;
          break;
        }
        end--;
      }
      if (found === undefined) return [unkToken];
      pieces.push(found);
      start = end;
    }
    return pieces;
  }
}

/**
 * Byte-pair encoding as in HF tokenizers' BPE model: the word starts as its
 * characters (non-first ones with `continuing_subword_prefix`, the last with
 * `end_of_word_suffix`), then the adjacent pair with the lowest merge rank is
 * merged, repeatedly, until no listed merge applies. Pieces missing from the
 * vocabulary become `unk_token` (consecutive ones fused when `fuse_unk`).
 */
function bpe(vocab: Map<string, number>, unkToken: string | undefined, spec: Record<string, unknown>): SubwordModel {
  const prefix = typeof spec.continuing_subword_prefix === 'string' ? spec.continuing_subword_prefix : '';
  const suffix = typeof spec.end_of_word_suffix === 'string' ? spec.end_of_word_suffix : '';
  const fuseUnk = spec.fuse_unk === true;
  const ranks = new Map<string, number>();
  const merges = (spec.merges as (string | [string, string])[] | undefined) ?? [];
  merges.forEach((merge, rank) => {
    const [a, b] = typeof merge === 'string' ? splitMerge(merge, rank) : merge;
    ranks.set(`${a}\u0000${b}`, rank);
  });
  const cache = new Map<string, string[]>();
  const strip = (piece: string) => (prefix && piece.startsWith(prefix) ? piece.slice(prefix.length) : piece);
  return {
    type: 'BPE',
    vocab,
    unkToken,
    tokenizeWord(word) {
      const cached = cache.get(word);
      if (cached) return cached;
      const chars = Array.from(word);
      let parts = chars.map((ch, i) => (i > 0 ? prefix : '') + ch + (i === chars.length - 1 ? suffix : ''));
      for (;;) {
        let best = -1;
        let bestRank = Infinity;
        for (let i = 0; i < parts.length - 1; i++) {
          const rank = ranks.get(`${parts[i]}\u0000${parts[i + 1]}`);
          if (rank !== undefined && rank < bestRank) {
            bestRank = rank;
            best = i;
          }
        }
        if (best < 0) break;
        const left = parts[best]!;
        const right = parts[best + 1]!;
        const merged: string[] = [];
        for (let i = 0; i < parts.length; i++) {
          if (i < parts.length - 1 && parts[i] === left && parts[i + 1] === right) {
            merged.push(parts[i] + strip(parts[i + 1]!));
            i++;
          } else merged.push(parts[i]!);
        }
        parts = merged;
      }
      const out: string[] = [];
      for (const part of parts) {
        if (vocab.has(part)) out.push(part);
        else {
          const unk = requireUnk(unkToken, part);
          if (!(fuseUnk && out.at(-1) === unk)) out.push(unk);
        }
      }
      if (cache.size < 50_000) cache.set(word, out);
      return out;
    },
  };
}

function splitMerge(merge: string, rank: number): [string, string] {
  const parts = merge.split(' ');
  if (parts.length !== 2) throw new ConfigError(`tokenizer.json model.merges[${rank}] must be "left right", got ${JSON.stringify(merge)}.`);
  return [parts[0]!, parts[1]!];
}
