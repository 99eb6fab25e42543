import { ConfigError, InputError, SeededRandom } from '@polyfuse/core';

/** Pretrained word vectors: `words[i]` has the `dim` values at `vectors[i * dim ...]`. */
export interface WordVectors {
  dim: number;
  words: string[];
  vectors: Float32Array;
  index: Map<string, number>;
}

/**
 * Parses word vectors in the GloVe text format (`word v1 v2 …` per line) or
 * the word2vec text format (the same, after a `count dim` header line, which
 * is detected and skipped). Keeps the first `limit` words (0 = all). A line
 * with the wrong number of values or a non-number is an InputError naming
 * `source` and the line.
 */
export function parseWordVectors(lines: Iterable<string>, options: { limit?: number; source?: string } = {}): WordVectors {
  const { limit = 0, source = 'word vectors' } = options;
  const words: string[] = [];
  const index = new Map<string, number>();
  let values: number[] = [];
  let dim = 0;
  let lineNumber = 0;
  for (const raw of lines) {
    lineNumber++;
    const line = raw.trimEnd();
    if (line === '') continue;
    const parts = line.split(' ');
    if (lineNumber === 1 && parts.length === 2 && /^\d+$/.test(parts[0]!) && /^\d+$/.test(parts[1]!)) {
      dim = Number(parts[1]); // word2vec header: count dim
      continue;
    }
    const word = parts[0]!;
    const numbers = parts.slice(1).map(Number);
    if (dim === 0) dim = numbers.length;
    if (numbers.length !== dim || numbers.some((v) => !Number.isFinite(v))) {
      throw new InputError(`${source}:${lineNumber}: expected a word and ${dim} numbers, got ${numbers.length} values${numbers.some((v) => !Number.isFinite(v)) ? ' (some not numbers)' : ''}.`);
    }
    if (index.has(word)) continue; // keep the first (most frequent) entry, as gensim does
    index.set(word, words.length);
    words.push(word);
    values = values.concat(numbers);
    if (limit > 0 && words.length >= limit) break;
  }
  if (words.length === 0) throw new InputError(`${source}: no word vectors found (empty file?).`);
  return { dim, words, vectors: Float32Array.from(values), index };
}

/**
 * An embedding table `[tokens.length, dim]` for a vocabulary: each token's
 * pretrained vector (looked up as is, then lower-cased), the pad row zero,
 * and tokens without a vector drawn from N(0, std of the pretrained values)
 * with a seeded generator. Returns the table and how many tokens were found.
 */
export function embeddingMatrix(
  vectors: WordVectors,
  tokens: readonly string[],
  options: { padId?: number; seed?: number } = {},
): { matrix: Float32Array; found: number; missing: string[] } {
  const { padId = 0, seed = 0 } = options;
  if (tokens.length === 0) throw new ConfigError('embeddingMatrix: the vocabulary is empty.');
  const { dim } = vectors;
  let sum = 0;
  let sumSquares = 0;
  for (const v of vectors.vectors) {
    sum += v;
    sumSquares += v * v;
  }
  const mean = sum / vectors.vectors.length;
  const std = Math.sqrt(Math.max(sumSquares / vectors.vectors.length - mean * mean, 1e-12));
  const rng = new SeededRandom(seed);
  const matrix = new Float32Array(tokens.length * dim);
  const missing: string[] = [];
  let found = 0;
  tokens.forEach((token, row) => {
    if (row === padId) return;
    const at = vectors.index.get(token) ?? vectors.index.get(token.toLowerCase());
    if (at !== undefined) {
      matrix.set(vectors.vectors.subarray(at * dim, (at + 1) * dim), row * dim);
      found++;
    } else {
      missing.push(token);
      for (let k = 0; k < dim; k++) matrix[row * dim + k] = rng.normal(0, std);
    }
  });
  return { matrix, found, missing };
}
