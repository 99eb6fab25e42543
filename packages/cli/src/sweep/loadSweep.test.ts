import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '@polyfuse/core';
import { writeBuiltinDataset } from '../../fixtures/builtinDataset.js';
import { runPolyfuse } from '../../fixtures/runInProcess.js';
import { loadSweep } from './loadSweep.js';

describe('loadSweep: a sweep file checked before any run starts', () => {
  let dir: string;
  const sweepFile = async (name: string, content: Record<string, unknown>): Promise<string> => {
    const file = path.join(dir, name);
    await fs.writeFile(file, JSON.stringify(content));
    return file;
  };

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-sweep-load-'));
    await writeBuiltinDataset(path.join(dir, 'data'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('expands into runs with stable ids and folders under runs/sweeps/<name>, relative to the sweep file', async () => {
    const file = await sweepFile('seeds.json', { base: 'data/config.json', grid: { 'training.seed': [1, 2], 'optimizer.config.learningRate': [0.01] } });
    const plan = await loadSweep(file);
    expect(plan).toMatchObject({ name: 'seeds', sweepFile: file, outDir: path.join(dir, 'runs', 'sweeps', 'seeds'), executor: 'local' });
    expect(plan.runs.map((r) => [r.index, r.id, r.outDir])).toEqual([
      [0, '0000-seed=1', path.join(dir, 'runs', 'sweeps', 'seeds', 'runs', '0000-seed=1')],
      [1, '0001-seed=2', path.join(dir, 'runs', 'sweeps', 'seeds', 'runs', '0001-seed=2')],
    ]);
    expect(plan.runs[1]!.overrides).toEqual({ 'training.seed': 2, 'optimizer.config.learningRate': 0.01 });
    expect(await loadSweep(file)).toEqual(plan);
  });

  it('names a misspelt override path and the nearest valid one', async () => {
    const typo = await sweepFile('typo.json', { base: 'data/config.json', grid: { 'training.sed': [1, 2] } });
    await expect(loadSweep(typo)).rejects.toThrow(/run 0000-sed=1 .*training.sed is not a known option.*nearest valid path: 'training.seed'/);
    const section = await sweepFile('section.json', { base: 'data/config.json', runs: [{ 'trainin.seed': 1 }] });
    await expect(loadSweep(section)).rejects.toThrow(/overrides 'trainin.seed', which is not a path of the run config \(nearest valid path: 'training.seed'\)/);
  });

  it('checks override values like a config file, naming the run', async () => {
    const file = await sweepFile('values.json', { base: 'data/config.json', grid: { 'model.fusion.name': ['concat', 'nope'] } });
    const error = await loadSweep(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/run 0001-fusion=nope \(model.fusion.name="nope"\): model.fusion.name: unknown fusion 'nope'/);
  });

  it('takes an inline base config and an out folder, and refuses a sweep without runs', async () => {
    const config = JSON.parse(await fs.readFile(path.join(dir, 'data', 'config.json'), 'utf8'));
    config.data.manifest = 'data/manifest.jsonl';
    const file = await sweepFile('inline.json', { name: 'inline', base: config, out: 'elsewhere', folds: 2 });
    const plan = await loadSweep(file);
    expect(plan.outDir).toBe(path.join(dir, 'elsewhere'));
    expect(plan.runs.map((r) => r.id)).toEqual(['0000-fold=0', '0001-fold=1']);
    await expect(loadSweep(await sweepFile('empty.json', { base: 'data/config.json', grid: {} }))).rejects.toThrow(/sweep.grid is empty/);
    await expect(loadSweep(await sweepFile('nobase.json', { grid: { 'training.seed': [1] } }))).rejects.toThrow(/sweep.base is required/);
  });

  it('sweep run --index outside the plan is a usage error naming the range', async () => {
    const file = await sweepFile('range.json', { base: 'data/config.json', grid: { 'training.seed': [1, 2] } });
    const result = await runPolyfuse(dir, 'sweep', 'run', file, '--index', '2');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--index 2 is out of range: .*range.json has 2 run\(s\), indices 0 to 1/);
    expect((await runPolyfuse(dir, 'sweep', 'run', file, '--index', '-1')).stderr).toMatch(/--index must be an integer >= 0, got '-1'/);
  });
});
