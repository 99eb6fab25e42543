import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { initBackend, registry, tf, InputError, ConfigError, type Preprocessor } from '@polyfuse/core';
import { loadDataset, datasetFromSamples, disposeBatch, type DatasetSpec, type LoadedBatch } from '../node.js';

/**
 * Real preprocessors, registered the way modality packages register theirs:
 * `vector-file` reads whitespace-separated numbers from a text file;
 * `standardize` learns mean and std of inline numbers on the training split.
 */
let processCalls = 0;
registry.register({
  kind: 'preprocessor',
  name: 'vector-file',
  schema: { size: { type: 'integer', required: true, min: 1 }, noise: { type: 'number', default: 0.01, min: 0 } },
  create: (config: { size: number; noise: number }): Preprocessor => ({
    outputShape: [config.size],
    dtype: 'float32',
    config,
    augments: config.noise > 0,
    async process(value, context) {
      processCalls++;
      const text = await fs.readFile(path.resolve(context.baseDir, value as string), 'utf8');
      const numbers = text.trim().split(/\s+/).map(Number);
      if (numbers.length !== config.size || numbers.some((n) => !Number.isFinite(n))) {
        throw new InputError(`${value as string}: expected ${config.size} numbers.`);
      }
      const out = Float32Array.from(numbers);
      if (context.training && config.noise > 0) for (let i = 0; i < out.length; i++) out[i] += context.rng.normal(0, config.noise);
      return out;
    },
  }),
});
registry.register({
  kind: 'preprocessor',
  name: 'standardize',
  create: (): Preprocessor => {
    let stats = { mean: 0, std: 1 };
    return {
      outputShape: [],
      dtype: 'float32',
      config: {},
      augments: false,
      async fit(values) {
        const xs = values as number[];
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) || 1;
        stats = { mean, std };
      },
      async process(value) {
        return Float32Array.from([((value as number) - stats.mean) / stats.std]);
      },
      getState: () => stats,
      setState: (s) => (stats = s as typeof stats),
    };
  },
});

let dir: string;

async function writeManifest(name: string, lines: string[]): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, lines.join('\n'));
  return file;
}

function spec(manifest: string, extra: Partial<DatasetSpec> = {}): DatasetSpec {
  return {
    manifest,
    modalities: {
      vec: { preprocessor: { name: 'vector-file', config: { size: 3 } } },
      num: { type: 'number', preprocessor: { name: 'standardize' } },
    },
    labels: { label: {} },
    split: { field: 'split' },
    ...extra,
  };
}

async function collect(batches: AsyncIterable<LoadedBatch>): Promise<{ ids: string[][]; vec: number[][][]; masks: number[][]; labels: number[][] }> {
  const out = { ids: [] as string[][], vec: [] as number[][][], masks: [] as number[][], labels: [] as number[][] };
  for await (const batch of batches) {
    out.ids.push(batch.ids);
    out.vec.push(batch.inputs.vec.arraySync() as number[][]);
    out.masks.push(batch.mask.num.arraySync() as number[]);
    out.labels.push(batch.targets.label.arraySync() as number[]);
    disposeBatch(batch);
  }
  return out;
}

describe('loadDataset', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-data-'));
    for (let i = 0; i < 12; i++) await fs.writeFile(path.join(dir, `v${i}.txt`), `${i} ${i + 1} ${i + 2}`);
    await fs.writeFile(path.join(dir, 'corrupt.txt'), 'not numbers');
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads, splits, fits on the training split and batches with presence masks', async () => {
    const lines = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ id: `s${i}`, vec: `v${i}.txt`, num: i % 4 === 3 ? null : i, label: i % 3, split: i < 9 ? 'train' : 'test' }),
    );
    const dataset = await loadDataset(spec(await writeManifest('m.jsonl', lines)));
    expect(dataset.summary().samples).toEqual({ train: 9, validation: 0, test: 3 });
    expect(dataset.labels.label.classes).toEqual(['0', '1', '2']);
    // fit saw the 7 present training values 0,1,2,4,5,6,8 (3 and 7 are null)
    expect((dataset.getState().preprocessors.num.state as { mean: number }).mean).toBeCloseTo(26 / 7);
    const loader = dataset.loader('train', { batchSize: 4 });
    expect(loader.batchCount).toBe(3);
    const { ids, vec, masks, labels } = await collect(loader.batches(0));
    expect(ids).toEqual([['s0', 's1', 's2', 's3'], ['s4', 's5', 's6', 's7'], ['s8']]);
    expect(vec[0][1]).toEqual([1, 2, 3]);
    expect(masks).toEqual([[1, 1, 1, 0], [1, 1, 1, 0], [1]]);
    expect(labels[0]).toEqual([0, 1, 2, 0]);
    expect(dataset.summary().missing.num).toEqual({ train: 2, validation: 0, test: 1 });
  });

  it('shuffles by seed and epoch, and resumes mid-epoch with skip', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `s${i}`, vec: `v${i}.txt`, num: i, label: i % 2 }));
    const dataset = await loadDataset(spec(await writeManifest('shuffle.jsonl', lines), { split: { fractions: { validation: 0 } }, seed: 5 }));
    const loader = dataset.loader('train', { batchSize: 5, shuffle: true });
    const a = (await collect(loader.batches(0))).ids;
    const again = (await collect(loader.batches(0))).ids;
    const epoch1 = (await collect(loader.batches(1))).ids;
    const other = (await collect((await loadDataset(spec(path.join(dir, 'shuffle.jsonl'), { split: { fractions: { validation: 0 } }, seed: 6 }))).loader('train', { batchSize: 5, shuffle: true }).batches(0))).ids;
    expect(again).toEqual(a);
    expect(epoch1).not.toEqual(a);
    expect(other).not.toEqual(a);
    expect(a.flat().sort()).toEqual(lines.map((_, i) => `s${i}`).sort());
    expect((await collect(loader.batches(0, { skip: 1 }))).ids).toEqual(a.slice(1));
  });

  it('skips and reports a missing file, a corrupt file and a corrupt line, with line and field', async () => {
    const lines = [
      JSON.stringify({ vec: 'v0.txt', num: 1, label: 0, split: 'train' }),
      JSON.stringify({ vec: 'gone.txt', num: 2, label: 1, split: 'train' }),
      '{"vec": "v1.txt", "num": 3,',
      JSON.stringify({ vec: 'corrupt.txt', num: 4, label: 1, split: 'train' }),
      JSON.stringify({ vec: 'v2.txt', num: 'abc', label: 1, split: 'train' }),
      JSON.stringify({ vec: 'v3.txt', num: 5, label: 1, split: 'holdout' }),
      JSON.stringify({ vec: 'v4.txt', num: 6, label: 0, split: 'train' }),
    ];
    const dataset = await loadDataset(spec(await writeManifest('bad.jsonl', lines)));
    const seen: string[] = [];
    dataset.onIssue = (issue) => seen.push(`${issue.line}:${issue.field}`);
    const { ids } = await collect(dataset.loader('train', { batchSize: 8 }).batches(0));
    expect(ids).toEqual([['line:1', 'line:7']]);
    expect(seen).toEqual(['2:vec', '4:vec']);
    const byLine = Object.fromEntries(dataset.issues.map((i) => [i.line, `${i.field ?? ''} ${i.message}`]));
    expect(Object.keys(byLine).map(Number).sort()).toEqual([2, 3, 4, 5, 6]);
    expect(byLine[2]).toMatch(/^vec file .*gone\.txt does not exist/);
    expect(byLine[3]).toMatch(/not valid JSON/);
    expect(byLine[4]).toMatch(/^vec corrupt\.txt: expected 3 numbers/);
    expect(byLine[5]).toMatch(/^num expected a finite number, got "abc"/);
    expect(byLine[6]).toMatch(/^split split "holdout" is not one of/);
  });

  it('stops at the first bad sample when configured to', async () => {
    const file = path.join(dir, 'bad.jsonl');
    await expect(loadDataset(spec(file, { onBadSample: 'error' }))).rejects.toThrow(/Bad manifest line: .*bad\.jsonl:3: not valid JSON/);
    const good = await writeManifest('missing-file.jsonl', [JSON.stringify({ vec: 'gone.txt', num: 1, label: 0, split: 'train' })]);
    const dataset = await loadDataset(spec(good, { onBadSample: 'error' }));
    await expect(collect(dataset.loader('train', { batchSize: 2 }).batches(0))).rejects.toThrow(/Bad sample: .*missing-file\.jsonl:1: field 'vec': file .*gone\.txt does not exist/);
  });

  it('treats a missing required modality as a bad sample', async () => {
    const file = await writeManifest('required.jsonl', [
      JSON.stringify({ vec: 'v0.txt', num: 1, label: 0, split: 'train' }),
      JSON.stringify({ num: 2, label: 1, split: 'train' }),
    ]);
    const s = spec(file);
    s.modalities.vec.required = true;
    const dataset = await loadDataset(s);
    expect(dataset.splits.train).toHaveLength(1);
    expect(dataset.issues[0]).toMatchObject({ line: 2, field: 'vec', message: expect.stringMatching(/modality 'vec' is required/) });
  });

  it('reads CSV manifests and draws stratified random splits reproducibly', async () => {
    const rows = ['vec,num,label'];
    for (let i = 0; i < 40; i++) rows.push(`v${i % 12}.txt,${i},${i < 30 ? 'cat' : 'dog'}`);
    const file = await writeManifest('m.csv', rows);
    const s = spec(file, { split: { fractions: { validation: 0.2, test: 0.1 }, stratify: 'label' }, seed: 3 });
    const a = await loadDataset(s);
    const b = await loadDataset(s);
    expect(a.labels.label.classes).toEqual(['cat', 'dog']);
    expect(a.summary().classCounts.label).toEqual({
      train: { cat: 21, dog: 7 },
      validation: { cat: 6, dog: 2 },
      test: { cat: 3, dog: 1 },
    });
    expect(a.splits.validation.map((r) => r.line)).toEqual(b.splits.validation.map((r) => r.line));
  });

  it('caches features on disk keyed by file content and preprocessing config', async () => {
    await fs.writeFile(path.join(dir, 'c0.txt'), '1 2 3');
    await fs.writeFile(path.join(dir, 'c1.txt'), '4 5 6');
    const file = await writeManifest('cache.jsonl', [0, 1].map((i) => JSON.stringify({ vec: `c${i}.txt`, num: i, label: i, split: 'train' })));
    const cacheDir = path.join(dir, 'cache');
    const first = await loadDataset(spec(file, { cacheDir }));
    processCalls = 0;
    await collect(first.loader('train', { batchSize: 2 }).batches(0));
    expect(processCalls).toBe(2);
    const second = await loadDataset(spec(file, { cacheDir }));
    const cached = await collect(second.loader('train', { batchSize: 2 }).batches(0));
    expect(processCalls).toBe(2);
    expect(second.cache!.hits).toBe(4); // vec and num of both samples
    expect(cached.vec[0]).toEqual([[1, 2, 3], [4, 5, 6]]);
    // new content: a miss for that file only
    await fs.writeFile(path.join(dir, 'c1.txt'), '7 8 9');
    const third = await loadDataset(spec(file, { cacheDir }));
    expect((await collect(third.loader('train', { batchSize: 2 }).batches(0))).vec[0]).toEqual([[1, 2, 3], [7, 8, 9]]);
    expect(processCalls).toBe(3);
    // augmentation is never cached
    const augmented = await collect(third.loader('train', { batchSize: 2, augment: true }).batches(0));
    expect(processCalls).toBe(5);
    expect(augmented.vec[0][0][0]).not.toBe(1);
  });

  it('serves training batches from the memory cache when no preprocessor augments', async () => {
    const lines = [0, 1, 2, 3].map((i) => JSON.stringify({ vec: `v${i}.txt`, num: i, label: i % 2, split: 'train' }));
    const file = await writeManifest('no-augment.jsonl', lines);
    const quiet = spec(file, { cacheInMemory: true, modalities: { vec: { preprocessor: { name: 'vector-file', config: { size: 3, noise: 0 } } }, num: { type: 'number', preprocessor: { name: 'standardize' } } } });
    const dataset = await loadDataset(quiet);
    processCalls = 0;
    const first = await collect(dataset.loader('train', { batchSize: 2, augment: true }).batches(0));
    const second = await collect(dataset.loader('train', { batchSize: 2, augment: true }).batches(1));
    expect(processCalls).toBe(4); // decoded once, in epoch 0
    expect(second.vec.flat()).toEqual(first.vec.flat());
    // with an augmenting preprocessor every training epoch decodes again
    const noisy = await loadDataset(spec(file, { cacheInMemory: true }));
    processCalls = 0;
    await collect(noisy.loader('train', { batchSize: 2, augment: true }).batches(0));
    await collect(noisy.loader('train', { batchSize: 2, augment: true }).batches(1));
    expect(processCalls).toBe(8);
  });

  it('hands its cached samples to another copy, which then serves them without preprocessing (data-parallel replicas)', async () => {
    const lines = [0, 1, 2, 3].map((i) => JSON.stringify({ vec: i === 2 ? 'missing.txt' : `v${i}.txt`, num: i, label: i % 2, split: 'train' }));
    const file = await writeManifest('handoff.jsonl', lines);
    const quiet = spec(file, { cacheInMemory: true, modalities: { vec: { preprocessor: { name: 'vector-file', config: { size: 3, noise: 0 } } }, num: { type: 'number', preprocessor: { name: 'standardize' } } } });
    const first = await loadDataset(quiet);
    const unusable = await first.dropUnusable();
    expect(unusable).toEqual([3]); // the missing file's manifest line
    const entries = first.cachedSamples('train');
    expect(entries.map(([, sample]) => sample?.id)).toEqual(['line:1', 'line:2', 'line:4']);
    // Through a structured clone, as worker threads receive it.
    const cloned = structuredClone(entries);
    const second = await loadDataset(quiet);
    second.dropLines(unusable); // as a replica does with replica 0's findings
    second.useCachedSamples(cloned);
    processCalls = 0;
    const fromCopy = await collect(second.loader('train', { batchSize: 2, augment: true }).batches(0));
    expect(processCalls).toBe(0);
    const fromFirst = await collect(first.loader('train', { batchSize: 2, augment: true }).batches(0));
    expect(fromCopy.vec.flat()).toEqual(fromFirst.vec.flat());
    // Without cacheInMemory there is no cache to hand over.
    const uncached = await loadDataset(spec(file));
    expect(uncached.cachedSamples('train')).toEqual([]);
  });

  it('restores fitted state for prediction without labels', async () => {
    const lines = Array.from({ length: 4 }, (_, i) => JSON.stringify({ vec: `v${i}.txt`, num: i * 10, label: i % 2, split: 'train' }));
    const trained = await loadDataset(spec(await writeManifest('fit.jsonl', lines)));
    const state = JSON.parse(JSON.stringify(trained.getState()));
    const predict = await datasetFromSamples(
      { modalities: spec('').modalities, labels: { label: {} } },
      [{ vec: 'v5.txt', num: 15 }, { num: 30 }],
      { baseDir: dir, state, withLabels: false },
    );
    const batches = predict.loader('test', { batchSize: 2 }).batches(0);
    for await (const batch of batches) {
      expect(batch.inputs.num.arraySync()).toEqual([0, expect.closeTo(15 / Math.sqrt(125), 5)]);
      expect(batch.mask.vec.arraySync()).toEqual([1, 0]);
      expect(Object.keys(batch.targets)).toEqual([]);
      disposeBatch(batch);
    }
  });

  it('names the bad field of an invalid spec', async () => {
    await expect(loadDataset({ manifest: 'x.jsonl', modalities: { a: { type: 'video' as never, preprocessor: { name: 'x' } } } })).rejects.toThrow(ConfigError);
    await expect(loadDataset({ manifest: 'x.jsonl', modalities: { a: { type: 'video' as never, preprocessor: { name: 'x' } } } })).rejects.toThrow(/dataset\.modalities\.a\.type must be one of "file", "text", "number", "numbers", "record", got "video"/);
    await expect(loadDataset(spec(path.join(dir, 'nope.jsonl')))).rejects.toThrow(/dataset\.manifest: cannot read .*nope\.jsonl \(ENOENT\)/);
    await expect(loadDataset({ ...spec(path.join(dir, 'm.jsonl')), modalities: { vec: { preprocessor: { name: 'no-such' } } } })).rejects.toThrow(/Unknown preprocessor 'no-such'/);
  });

  it('leaks no tensors when the consumer stops early', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ vec: `v${i}.txt`, num: i, label: 0, split: 'train' }));
    const dataset = await loadDataset(spec(await writeManifest('leak.jsonl', lines), { prefetch: 3 }));
    const before = tf.memory().numTensors;
    for await (const batch of dataset.loader('train', { batchSize: 2 }).batches(0)) {
      disposeBatch(batch);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
