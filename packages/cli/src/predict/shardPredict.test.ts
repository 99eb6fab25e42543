import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '@polyfuse/core';
import { exitCodes } from '../index.js';
import { writeBuiltinDataset } from '../../fixtures/builtinDataset.js';
import { runPolyfuse as polyfuse } from '../../fixtures/runInProcess.js';
import { parseShard, shardFileName } from './shardSpec.js';

describe('--shard i/n', () => {
  it('reads i/n with 0 <= i < n and names the shard in the output file', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(parseShard(' 0 / 1 ')).toEqual({ index: 0, count: 1 });
    expect(() => parseShard('8/8')).toThrow(/i must be below n/);
    expect(() => parseShard('1/0')).toThrow(/n must be at least 1/);
    expect(() => parseShard('-1/4')).toThrow(/--shard must be i\/n .* got '-1\/4'/);
    expect(() => parseShard('1of4')).toThrow(/--shard must be i\/n/);
    expect(shardFileName('out/preds.json', { index: 2, count: 8 })).toBe('out/preds.shard-2-of-8.json');
    expect(shardFileName('preds', { index: 0, count: 2 })).toBe('preds.shard-0-of-2');
  });
});

describe('sharded prediction merged equals the unsharded prediction', () => {
  let dir: string;

  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-shard-'));
    // 25 samples and two bad lines (one not JSON, one with a missing file), so shards skip lines too.
    await writeBuiltinDataset(dir, { count: 25, extraLines: ['{ not json', JSON.stringify({ id: 'gone', x: [1, 0, 0], text: 'texts/none.txt', label: 'red' })] });
    const named = await polyfuse(dir, 'train', '--config', 'config.json', '--out', 'named', '--no-report', '--quiet');
    expect(named.code, named.stderr).toBe(exitCodes.ok);
    // The same data with the classic classification head (the other output format of predict).
    const config = JSON.parse(await fs.readFile(path.join(dir, 'config.json'), 'utf8'));
    const { heads: _heads, ...model } = config.model;
    await fs.writeFile(path.join(dir, 'classic.json'), JSON.stringify({ ...config, name: 'classic', model: { ...model, head: { name: 'mlp', config: { units: 3 } } } }));
    const classic = await polyfuse(dir, 'train', '--config', 'classic.json', '--out', 'classic', '--no-report', '--quiet');
    expect(classic.code, classic.stderr).toBe(exitCodes.ok);
  }, 300_000);

  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  /** Predicts `run` whole and in `count` shards merged, in `extension`'s format; returns both texts and each shard's stderr. */
  async function wholeAndMerged(run: string, count: number, extension: string, manifest = 'manifest.jsonl') {
    const whole = await polyfuse(dir, 'predict', run, '--manifest', manifest, '--output', `${run}-${count}/whole${extension}`);
    expect(whole.code, whole.stderr).toBe(exitCodes.ok);
    const shardErrors: string[] = [];
    for (let i = 0; i < count; i++) {
      const shard = await polyfuse(dir, 'predict', run, '--manifest', manifest, '--shard', `${i}/${count}`, '--output', `${run}-${count}/merged${extension}`);
      expect(shard.code, shard.stderr).toBe(exitCodes.ok);
      expect(shard.stderr).toContain(`Wrote `);
      shardErrors.push(shard.stderr);
    }
    const merged = await polyfuse(dir, 'predict', '--merge', `${run}-${count}/merged${extension}`);
    expect(merged.code, merged.stderr).toBe(exitCodes.ok);
    expect(merged.stderr).toMatch(new RegExp(`Merged ${count} shard\\(s\\), \\d+ prediction\\(s\\)`));
    const read = (name: string): Promise<string> => fs.readFile(path.join(dir, `${run}-${count}`, name), 'utf8');
    return { whole: await read(`whole${extension}`), merged: await read(`merged${extension}`), shardErrors };
  }

  it('named heads, JSON, 3 shards: the same bytes, and each bad line reported by one shard only', async () => {
    const { whole, merged, shardErrors } = await wholeAndMerged('named', 3, '.json');
    expect(merged).toBe(whole);
    expect(JSON.parse(whole)).toHaveLength(25);
    // Lines 26 and 27 are bad and fall in the last shard: only it skips them and reports line 26, which is
    // not JSON (the missing file of line 27 is found while batches load, after predict prints its notes).
    expect(shardErrors.map((e) => (e.match(/^skipped .*manifest\.jsonl:26: not valid JSON/gm) ?? []).length)).toEqual([0, 0, 1]);
    const shardFiles = (await fs.readdir(path.join(dir, 'named-3'))).filter((f) => f.includes('.shard-')).sort();
    expect(shardFiles).toEqual(['merged.shard-0-of-3.json', 'merged.shard-1-of-3.json', 'merged.shard-2-of-3.json']);
    // Contiguous blocks of the 27 lines: 9 each, the last with 7 usable samples.
    const sizes = await Promise.all(shardFiles.map(async (f) => (JSON.parse(await fs.readFile(path.join(dir, 'named-3', f), 'utf8')) as unknown[]).length));
    expect(sizes).toEqual([9, 9, 7]);
  });

  it('classification head, CSV, 4 shards: the same bytes', async () => {
    const { whole, merged } = await wholeAndMerged('classic', 4, '.csv');
    expect(merged).toBe(whole);
    expect(whole.split('\n')[0]).toBe('id,prediction,p_blue,p_green,p_red');
    expect(whole.trim().split('\n')).toHaveLength(26);
  });

  it('more shards than lines: the empty shards write empty outputs and the merge is still whole', async () => {
    const lines = (await fs.readFile(path.join(dir, 'manifest.jsonl'), 'utf8')).split('\n').slice(0, 2);
    await fs.writeFile(path.join(dir, 'two.jsonl'), `${lines.join('\n')}\n`);
    const named = await wholeAndMerged('named', 3, '.json', 'two.jsonl');
    expect(named.merged).toBe(named.whole);
    expect(named.shardErrors[0]).toMatch(/shard 0\/3 has no lines/);
    const classic = await wholeAndMerged('classic', 3, '.json', 'two.jsonl');
    expect(classic.merged).toBe(classic.whole);
  });

  it('a merge with a shard missing names it and writes nothing', async () => {
    await fs.mkdir(path.join(dir, 'partial'));
    for (const i of [0, 2]) {
      const shard = await polyfuse(dir, 'predict', 'named', '--manifest', 'manifest.jsonl', '--shard', `${i}/4`, '--output', 'partial/p.json');
      expect(shard.code, shard.stderr).toBe(exitCodes.ok);
    }
    const merged = await polyfuse(dir, 'predict', '--merge', 'partial/p.json');
    expect(merged.code).toBe(exitCodes.failure);
    expect(merged.stderr).toMatch(/missing shards 1, 3 of 4 .*\(p\.shard-1-of-4\.json, p\.shard-3-of-4\.json\)/);
    await expect(fs.access(path.join(dir, 'partial/p.json'))).rejects.toThrow();
    // Shards of another split of the same output are not mixed in.
    await fs.writeFile(path.join(dir, 'partial/p.shard-0-of-2.json'), '[]\n');
    const mixed = await polyfuse(dir, 'predict', '--merge', 'partial/p.json');
    expect(mixed.stderr).toMatch(/shards of 2 and 4 shard runs/);
    const none = await polyfuse(dir, 'predict', '--merge', 'partial/q.csv');
    expect(none.stderr).toMatch(/no shard files q\.shard-<i>-of-<n>\.csv in /);
  });

  it('bad usage exits 2 and says what was expected', async () => {
    const outOfRange = await polyfuse(dir, 'predict', 'named', '--manifest', 'manifest.jsonl', '--shard', '4/4');
    expect(outOfRange.code).toBe(exitCodes.usage);
    expect(outOfRange.stderr).toMatch(/--shard must be i\/n with integers 0 <= i < n .* got '4\/4': i must be below n/);
    const noManifest = await polyfuse(dir, 'predict', 'named', '--input', 'x=[1,0,0]', '--shard', '0/2');
    expect(noManifest.code).toBe(exitCodes.usage);
    expect(noManifest.stderr).toMatch(/--shard 0\/2 splits the lines of --manifest/);
    const mergeWithRun = await polyfuse(dir, 'predict', 'named', '--merge', 'x.json');
    expect(mergeWithRun.code).toBe(exitCodes.usage);
    expect(mergeWithRun.stderr).toMatch(/--merge <output> only merges shard files .*remove the run 'named'/);
    const nothing = await polyfuse(dir, 'predict');
    expect(nothing.code).toBe(exitCodes.usage);
    expect(nothing.stderr).toMatch(/predict needs a run folder/);
  });
});
