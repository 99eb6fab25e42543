// Import-free apart from commander: the `--shard` parser runs before any polyfuse package loads.
import path from 'node:path';
import { InvalidArgumentError } from 'commander';

/** One shard of a manifest: `index` of `count` (0 <= index < count). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Parses `--shard i/n` (0 <= i < n, both integers). Throws commander's
 * InvalidArgumentError, which the CLI reports as a usage error (exit 2).
 */
export function parseShard(value: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const expected = `--shard must be i/n with integers 0 <= i < n (e.g. 0/4 for the first of 4 shards), got '${value}'`;
  if (!match) throw new InvalidArgumentError(`${expected}.`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new InvalidArgumentError(`${expected}: n must be at least 1.`);
  if (index >= count) throw new InvalidArgumentError(`${expected}: i must be below n (shards are numbered from 0).`);
  return { index, count };
}

/**
 * Where shard `index` of `count` writes the output the user named:
 * `predictions.json` becomes `predictions.shard-2-of-8.json`, so every shard
 * of one prediction sits beside the others and `--merge predictions.json`
 * finds them.
 */
export function shardFileName(output: string, shard: Shard): string {
  const extension = path.extname(output);
  return `${output.slice(0, output.length - extension.length)}.shard-${shard.index}-of-${shard.count}${extension}`;
}
