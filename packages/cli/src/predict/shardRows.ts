import type { Dataset } from '@polyfuse/data/node';
import type { Shard } from './shardSpec.js';

/**
 * Narrows a prediction dataset loaded from a whole manifest to one shard:
 * the manifest's data lines (usable samples and bad lines alike, in file
 * order) are cut into `count` contiguous blocks of near-equal size, block
 * `index` is kept, and only the bad lines of that block stay in
 * `dataset.issues`, so each bad line is reported by exactly one shard.
 *
 * Contiguous blocks rather than every n-th line: concatenating the shards'
 * outputs in shard order then gives manifest order, with no line numbers in
 * the outputs and whatever lines were skipped. Every shard still parses the
 * whole manifest (cheap next to inference: files are decoded only for the
 * shard's samples, when its batches are built).
 *
 * Returns how many lines the manifest has and which 1-based lines the shard
 * covers (empty when there are more shards than lines).
 */
export function selectShard(dataset: Dataset, split: 'train' | 'test', shard: Shard): { lines: number; first?: number; last?: number } {
  const records = dataset.splits[split];
  const lines = [...new Set([...records.map((r) => r.line), ...dataset.issues.map((i) => i.line)])].sort((a, b) => a - b);
  const start = Math.floor((shard.index * lines.length) / shard.count);
  const end = Math.floor(((shard.index + 1) * lines.length) / shard.count);
  const kept = new Set(lines.slice(start, end));
  dataset.splits[split] = records.filter((r) => kept.has(r.line));
  const issues = dataset.issues.filter((i) => kept.has(i.line));
  dataset.issues.splice(0, dataset.issues.length, ...issues);
  return end > start ? { lines: lines.length, first: lines[start], last: lines[end - 1] } : { lines: lines.length };
}
