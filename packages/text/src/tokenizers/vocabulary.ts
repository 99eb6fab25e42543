import { ConfigError } from '@polyfuse/core';

/** Options for building a vocabulary from token counts. */
export interface VocabularyOptions {
  /** Tokens seen fewer times are left out (mapped to the unknown token). Default 1. */
  minFrequency?: number;
  /** Largest vocabulary, special tokens included; 0 = unlimited. Default 0. */
  maxSize?: number;
  /** Special tokens, given the first ids in this order. */
  specials?: string[];
}

/**
 * A token ↔ id table. Built from counts like torchtext's
 * `build_vocab_from_iterator`: specials first, then tokens by descending
 * count, ties broken by code-point order of the token, so the same corpus
 * always gives the same ids.
 */
export class Vocabulary {
  readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(tokens: readonly string[]) {
    this.tokens = [...tokens];
    this.ids = new Map();
    this.tokens.forEach((token, id) => {
      if (this.ids.has(token)) throw new ConfigError(`Vocabulary: token ${JSON.stringify(token)} appears twice (ids ${this.ids.get(token)} and ${id}).`);
      this.ids.set(token, id);
    });
  }

  static fromCounts(counts: Map<string, number>, options: VocabularyOptions = {}): Vocabulary {
    const { minFrequency = 1, maxSize = 0, specials = [] } = options;
    if (!Number.isInteger(minFrequency) || minFrequency < 1) throw new ConfigError(`minFrequency must be a positive integer, got ${minFrequency}.`);
    if (!Number.isInteger(maxSize) || maxSize < 0) throw new ConfigError(`maxSize must be a non-negative integer, got ${maxSize}.`);
    if (maxSize > 0 && maxSize < specials.length) throw new ConfigError(`maxSize ${maxSize} is smaller than the ${specials.length} special tokens.`);
    const special = new Set(specials);
    const ranked = [...counts.entries()]
      .filter(([token, count]) => count >= minFrequency && !special.has(token))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([token]) => token);
    const limit = maxSize > 0 ? maxSize - specials.length : ranked.length;
    return new Vocabulary([...specials, ...ranked.slice(0, limit)]);
  }

  get size(): number {
    return this.tokens.length;
  }

  id(token: string): number | undefined {
    return this.ids.get(token);
  }

  token(id: number): string | undefined {
    return this.tokens[id];
  }
}

/** Adds each token of each sequence to `counts`. */
export function countTokens(sequences: Iterable<readonly string[]>, counts = new Map<string, number>()): Map<string, number> {
  for (const tokens of sequences) for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}
