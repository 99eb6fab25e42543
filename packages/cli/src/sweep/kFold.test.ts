import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDataset } from '@polyfuse/data/node';
import { writeBuiltinDataset } from '../../fixtures/builtinDataset.js';
import { toDatasetSpec } from '../config/toDatasetSpec.js';
import { loadSweepWithBase } from './loadSweep.js';
import { runConfigOf } from './run/runConfigOf.js';

describe('folds: K gives each run its held-out fold of the data', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-sweep-folds-'));
    await writeBuiltinDataset(path.join(dir, 'data'), { count: 30 });
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('three runs test on three disjoint, stratified folds that cover the manifest, with the same split seed', async () => {
    const file = path.join(dir, 'cv.json');
    await fs.writeFile(file, JSON.stringify({ base: 'data/config.json', set: { 'data.split.stratify': 'label', 'data.split.seed': 5 }, grid: { 'training.seed': [1, 2] }, folds: 3 }));
    const { plan, sweep } = await loadSweepWithBase(file);
    expect(plan.runs.map((r) => r.id)).toEqual(['0000-seed=1-fold=0', '0001-seed=1-fold=1', '0002-seed=1-fold=2', '0003-seed=2-fold=0', '0004-seed=2-fold=1', '0005-seed=2-fold=2']);
    const splits = [];
    for (const run of plan.runs) {
      const config = await runConfigOf(sweep, run);
      expect(config.data.split).toMatchObject({ folds: 3, fold: run.index % 3 });
      const dataset = await loadDataset(toDatasetSpec(config.data, config.baseDir, config.training.seed));
      splits.push(Object.fromEntries((['train', 'validation', 'test'] as const).map((s) => [s, dataset.splits[s].map((r) => r.id)])));
    }
    const tests = splits.slice(0, 3).map((s) => s.test!);
    expect(tests.map((t) => t.length)).toEqual([10, 10, 10]);
    expect(new Set(tests.flat()).size).toBe(30);
    for (const split of splits) expect(new Set([...split.train!, ...split.validation!, ...split.test!]).size).toBe(30);
    // data.split.seed fixes the folds, so the second training seed sees the same folds.
    expect(splits.slice(3).map((s) => s.test)).toEqual(tests);
  });

  it('refuses split.fold without split.folds and a fold out of range', async () => {
    const file = path.join(dir, 'bad.json');
    await fs.writeFile(file, JSON.stringify({ base: 'data/config.json', runs: [{ 'data.split.fold': 1 }] }));
    await expect(loadSweepWithBase(file)).rejects.toThrow(/data.split.folds and data.split.fold go together/);
    await fs.writeFile(file, JSON.stringify({ base: 'data/config.json', runs: [{ 'data.split.folds': 3, 'data.split.fold': 3 }] }));
    await expect(loadSweepWithBase(file)).rejects.toThrow(/data.split.fold must be an integer from 0 to 2/);
  });
});
