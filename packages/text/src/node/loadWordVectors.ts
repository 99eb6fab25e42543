import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError } from '@polyfuse/core';
import { parseWordVectors, type WordVectors } from '../vectors/wordVectors.js';

/**
 * Reads a GloVe or word2vec text file line by line (so large files are not
 * held as one string) and parses it with `parseWordVectors`. `limit` keeps
 * the first N words (these files are sorted by frequency).
 */
export async function loadWordVectors(file: string, options: { limit?: number } = {}): Promise<WordVectors> {
  const lines: string[] = [];
  try {
    const reader = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of reader) {
      lines.push(line);
      if (options.limit && lines.length > options.limit + 1) break;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot read word vectors (${code === 'ENOENT' ? 'file not found' : (error as Error).message}).`, { cause: error });
  }
  return parseWordVectors(lines, { limit: options.limit, source: file });
}
