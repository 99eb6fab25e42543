import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '@polyfuse/core';
import { writeFileAtomic } from '@polyfuse/core/node';

/** The shard files of one prediction, found beside its output. */
export interface ShardFiles {
  /** How many shards the files say there are (the n of `shard-i-of-n`). */
  count: number;
  /** The file of shard i at index i. */
  files: string[];
}

/**
 * Finds the shard files of `output` (`predictions.json` →
 * `predictions.shard-<i>-of-<n>.json`, as `polyfuse predict --shard i/n
 * --output predictions.json` writes them). Throws an InputError naming the
 * missing shards' files when any of 0..n-1 is absent, or when files of
 * different shard counts lie there (shards of two different predictions).
 */
export async function findShardFiles(output: string): Promise<ShardFiles> {
  const folder = path.dirname(output);
  const extension = path.extname(output);
  const stem = path.basename(output, extension);
  const pattern = new RegExp(`^${escapeRegExp(stem)}\\.shard-(\\d+)-of-(\\d+)${escapeRegExp(extension)}$`);
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (error) {
    throw new InputError(`--merge: cannot read the folder ${folder} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const found = names.map((name) => ({ name, match: pattern.exec(name) })).filter((f) => f.match);
  const expected = `${stem}.shard-<i>-of-<n>${extension}`;
  if (found.length === 0) {
    throw new InputError(`--merge: no shard files ${expected} in ${folder}; write them with polyfuse predict <run> --manifest <file> --shard i/n --output ${output}.`);
  }
  const counts = [...new Set(found.map((f) => Number(f.match![2])))].sort((a, b) => a - b);
  if (counts.length > 1) {
    throw new InputError(`--merge: ${folder} holds shards of ${counts.join(' and ')} shard runs of ${stem}${extension} (${found.map((f) => f.name).join(', ')}); remove the ones of the other prediction.`);
  }
  const count = counts[0]!;
  const files: string[] = [];
  for (const { name, match } of found) files[Number(match![1])] = path.join(folder, name);
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => files[i] === undefined);
  if (missing.length > 0) {
    const names = missing.map((i) => `${stem}.shard-${i}-of-${count}${extension}`);
    throw new InputError(`--merge: missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} in ${folder} (${names.join(', ')}); run polyfuse predict --shard <i>/${count} for ${missing.length > 1 ? 'them' : 'it'} first.`);
  }
  return { count, files };
}

/**
 * Merges the shard files of `output` into `output`, in shard order, which is
 * manifest order because shards are contiguous blocks of the manifest's
 * lines (see selectShard). JSON shards are arrays and are concatenated; CSV
 * shards must share their header line, which the merged file keeps once.
 * The format follows the output's extension (`.csv` is CSV, anything else
 * JSON), as for `polyfuse predict --output`. Written atomically.
 */
export async function mergePredictionShards(output: string): Promise<{ shards: number; predictions: number }> {
  const { count, files } = await findShardFiles(output);
  const texts = await Promise.all(files.map((file) => fs.readFile(file, 'utf8')));
  const merged = output.toLowerCase().endsWith('.csv') ? mergeCsv(texts, files) : mergeJson(texts, files);
  await writeFileAtomic(output, merged.text);
  return { shards: count, predictions: merged.predictions };
}

function mergeJson(texts: string[], files: string[]): { text: string; predictions: number } {
  const all: unknown[] = [];
  texts.forEach((text, i) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new InputError(`--merge: ${files[i]} is not valid JSON (${(error as Error).message}); was its prediction interrupted? Run that shard again.`);
    }
    if (!Array.isArray(value)) throw new InputError(`--merge: ${files[i]} holds ${typeof value === 'object' ? 'an object' : typeof value}, expected the array of predictions polyfuse predict writes.`);
    all.push(...value);
  });
  return { text: `${JSON.stringify(all, null, 2)}\n`, predictions: all.length };
}

function mergeCsv(texts: string[], files: string[]): { text: string; predictions: number } {
  const header = csvHeader(texts[0]!);
  const bodies: string[] = [];
  let predictions = 0;
  texts.forEach((text, i) => {
    const own = csvHeader(text);
    if (own !== header) {
      throw new InputError(`--merge: the header of ${files[i]} differs from that of ${files[0]} (${JSON.stringify(own.slice(0, 80))} vs ${JSON.stringify(header.slice(0, 80))}); were the shards predicted with different runs or options?`);
    }
    const body = text.slice(own.length + 1);
    if (body.length > 0) bodies.push(body.endsWith('\n') ? body : `${body}\n`);
    predictions += csvRecordCount(body);
  });
  return { text: `${header}\n${bodies.join('')}`, predictions };
}

/** The first CSV record: up to the first newline outside quotes. */
function csvHeader(text: string): string {
  return text.slice(0, recordEnd(text, 0));
}

function csvRecordCount(body: string): number {
  let count = 0;
  for (let at = 0; at < body.length; at = recordEnd(body, at) + 1) count++;
  return count;
}

/** Index of the newline ending the CSV record that starts at `start` (text length when none). */
function recordEnd(text: string, start: number): number {
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) return i;
  }
  return text.length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
