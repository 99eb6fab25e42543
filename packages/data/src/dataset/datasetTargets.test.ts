import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { initBackend, registry, InputError, type Batch, type Preprocessor } from '@polyfuse/core';
import { loadDataset, disposeBatch, splitSamples, validateDatasetSpec, type DatasetSpec, type RegressionTarget, type SequenceTarget } from '../node.js';

/** A number modality, and a word-level tokenizer preprocessor (ids 0-3: pad, unk, bos, eos; unpadded output). */
registry.register({ kind: 'preprocessor', name: 'test-number', create: (): Preprocessor => ({ outputShape: [], dtype: 'float32', config: {}, augments: false, process: async (v) => Float32Array.from([v as number]) }) }, { override: true });
registry.register(
  {
    kind: 'preprocessor',
    name: 'test-words',
    create: (config: { maxLength: number }): Preprocessor & { tokenizer: unknown } => {
      let vocab = ['<pad>', '<unk>', '<bos>', '<eos>'];
      const tokenizer = {
        padId: 0,
        bosId: 2,
        eosId: 3,
        get vocabSize() {
          return vocab.length;
        },
        encode: (text: string) => [2, ...text.split(/\s+/).filter(Boolean).map((w) => (vocab.includes(w) ? vocab.indexOf(w) : 1)), 3],
        decode: (ids: readonly number[]) => ids.map((i) => vocab[i] ?? '<unk>').join(' '),
      };
      return {
        outputShape: [config.maxLength],
        dtype: 'int32',
        config,
        augments: false,
        tokenizer,
        async fit(values) {
          vocab = [...vocab.slice(0, 4), ...[...new Set((values as string[]).flatMap((t) => t.split(/\s+/).filter(Boolean)))].sort()];
        },
        async process(value) {
          if (typeof value !== 'string' || value.trim() === '') throw new InputError('test-words: the text is empty.');
          return Int32Array.from(tokenizer.encode(value).slice(0, config.maxLength));
        },
        getState: () => ({ vocab }),
        setState: (state) => {
          vocab = (state as { vocab: string[] }).vocab;
        },
      };
    },
  },
  { override: true },
);

let dir: string;
let manifest: string;

// One target of each type. Training speeds 1, 1, 5, 5: mean 3, std 2.
const rows = [
  { id: 's0', x: 0, label: 'cat', tags: ['red', 'big'], speed: 1, pos: [0, 10], caption: ['a red cat', 'the big cat'], album: 'A', split: 'train' },
  { id: 's1', x: 1, label: 'dog', tags: ['big'], speed: 1, pos: [2, 10], caption: 'a dog', album: 'B', split: 'train' },
  { id: 's2', x: 2, label: 'cat', tags: [], speed: 5, pos: [4, 10], caption: ['small cat', 'a cat', 'the cat'], album: 'A', split: 'train' },
  { id: 's3', x: 3, label: 'dog', tags: 'red', speed: 5, pos: [6, 10], caption: 'dog', album: 'C', split: 'train' },
  { id: 's4', x: 4, label: 'cat', tags: 'big', speed: 4, pos: [1, 11], caption: 'a cat', album: 'D', split: 'test' },
  { id: 's5', x: 5, label: 'dog', tags: 'red|big', speed: 0, pos: [3, 9], caption: 'big dog', album: 'A', split: 'test' },
  { id: 's6', x: 6, label: 'dog', tags: ['green'], speed: 0, pos: [3, 9], caption: 'dog', album: 'E', split: 'test' },
];

function spec(extra: Partial<DatasetSpec> = {}): DatasetSpec {
  return {
    manifest,
    modalities: { x: { type: 'number', preprocessor: { name: 'test-number' } } },
    labels: {
      label: {},
      tags: { type: 'multilabel' },
      speed: { type: 'regression', standardize: true },
      pos: { type: 'regression', standardize: true },
      caption: { type: 'sequence', tokenizer: { name: 'test-words', config: { maxLength: 6 } } },
      pair: { type: 'match', group: 'album' },
    },
    split: { field: 'split' },
    ...extra,
  };
}

type Arrays = Record<string, unknown>;
async function batchesOf(batches: AsyncIterable<Batch>): Promise<{ targets: Arrays[]; dtypes: Record<string, string>; shapes: Record<string, number[]>; references: Batch['references'][] }> {
  const out = { targets: [] as Arrays[], dtypes: {} as Record<string, string>, shapes: {} as Record<string, number[]>, references: [] as Batch['references'][] };
  for await (const batch of batches) {
    out.targets.push(Object.fromEntries(Object.entries(batch.targets).map(([n, t]) => [n, t.arraySync()])));
    for (const [n, t] of Object.entries(batch.targets)) {
      out.dtypes[n] = t.dtype;
      out.shapes[n] = t.shape;
    }
    out.references.push(batch.references);
    disposeBatch(batch);
  }
  return out;
}

describe('typed targets in a dataset', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-targets-'));
    manifest = path.join(dir, 'm.jsonl');
    await fs.writeFile(manifest, rows.map((r) => JSON.stringify(r)).join('\n'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('fits vocabularies and scaling on the training split, class lists on every line, and batches each target with its shape and dtype', async () => {
    const dataset = await loadDataset(spec());
    expect(dataset.targetInfo()).toEqual({
      label: { type: 'class', classes: ['cat', 'dog'] },
      tags: { type: 'multilabel', classes: ['big', 'green', 'red'] },
      speed: { type: 'regression', size: 1 },
      pos: { type: 'regression', size: 2 },
      // vocabulary of the training references: a big cat dog red small the
      caption: { type: 'sequence', vocabSize: 11, maxLength: 6, padId: 0, bosId: 2, eosId: 3 },
      pair: { type: 'match' },
    });
    // 'green' occurs only in the test split: it is still a class (a prediction can only get it wrong), not a skipped sample
    expect(dataset.issues).toEqual([]);
    expect(Object.keys(dataset.summary().classCounts)).toEqual(['label']);

    const train = await batchesOf(dataset.loader('train', { batchSize: 4 }).batches(0));
    expect(train.dtypes).toEqual({ label: 'int32', tags: 'float32', speed: 'float32', pos: 'float32', caption: 'int32', pair: 'int32' });
    expect(train.shapes).toEqual({ label: [4], tags: [4, 3], speed: [4], pos: [4, 2], caption: [4, 6], pair: [4] });
    const [batch] = train.targets;
    expect(batch.label).toEqual([0, 1, 0, 1]);
    expect(batch.tags).toEqual([[1, 0, 1], [1, 0, 0], [0, 0, 0], [0, 0, 1]]);
    expect(batch.speed).toEqual([-1, -1, 1, 1]);
    const pos = batch.pos as number[][];
    expect(pos.map((p) => p[0])).toEqual([-3, -1, 1, 3].map((d) => expect.closeTo(d / Math.sqrt(5), 5)));
    expect(pos.map((p) => p[1])).toEqual([0, 0, 0, 0]);
    // evaluation order: the first reference, bos … eos, then pad id 0 up to maxLength
    expect(batch.caption).toEqual([
      [2, 4, 8, 6, 3, 0],
      [2, 4, 7, 3, 0, 0],
      [2, 9, 6, 3, 0, 0],
      [2, 7, 3, 0, 0, 0],
    ]);
    expect(train.references[0]).toEqual({ caption: [['a red cat', 'the big cat'], ['a dog'], ['small cat', 'a cat', 'the cat'], ['dog']] });
    expect(batch.pair).toEqual([0, 1, 0, 2]);

    const test = await batchesOf(dataset.loader('test', { batchSize: 4 }).batches(0));
    expect(test.targets[0].tags).toEqual([[1, 0, 0], [1, 0, 1], [0, 1, 0]]);
    expect(test.targets[0].pair.slice(0, 2)).toEqual([3, 0]); // album A again: the group of s0 and s2
    expect(test.targets[0].speed).toEqual([0.5, -1.5, -1.5]);

    const caption = dataset.targets.caption as SequenceTarget;
    expect(caption.decode((batch.caption as number[][])[0])).toBe('a red cat');
    expect(Array.from((dataset.targets.speed as RegressionTarget).invert([-1, 0.5]))).toEqual([1, 4]);
  });

  it('restores identical encodings from a saved state', async () => {
    const trained = await loadDataset(spec());
    const state = JSON.parse(JSON.stringify(trained.getState()));
    expect(state.labels.label).toEqual({ type: 'class', classes: ['cat', 'dog'], state: { classes: ['cat', 'dog'] } });
    expect(state.labels.speed).toEqual({ type: 'regression', classes: [], state: { size: 1, mean: [3], std: [2] } });
    const restored = await loadDataset(spec(), { state });
    expect(restored.targetInfo()).toEqual(trained.targetInfo());
    for (const split of ['train', 'test'] as const) {
      const a = await batchesOf(trained.loader(split, { batchSize: 3 }).batches(0));
      const b = await batchesOf(restored.loader(split, { batchSize: 3 }).batches(0));
      expect(b).toEqual(a);
    }
  });

  it('draws training references per epoch with a seeded rng', async () => {
    const dataset = await loadDataset(spec({ seed: 4 }));
    const captions = async (epoch: number) => (await batchesOf(dataset.loader('train', { batchSize: 4, augment: true }).batches(epoch))).targets[0].caption as number[][];
    const epoch0 = await captions(0);
    expect(await captions(0)).toEqual(epoch0);
    // s2 has three references; over ten epochs it trains on more than one, always one of its own
    const s2 = new Set<string>();
    for (let epoch = 0; epoch < 10; epoch++) s2.add((await captions(epoch))[2].join(' '));
    expect(s2.size).toBeGreaterThan(1);
    const allowed = ['small cat', 'a cat', 'the cat'].map((t) => [2, ...t.split(' ').map((w) => ['a', 'big', 'cat', 'dog', 'red', 'small', 'the'].indexOf(w) + 4), 3]);
    for (const c of s2) expect(allowed.map((ids) => [...ids, ...Array(6 - ids.length).fill(0)].join(' '))).toContain(c);
    // samples with one reference are the same every epoch
    expect((await captions(1))[1]).toEqual(epoch0[1]);
  });

  it('stratifies by class targets only', async () => {
    await expect(loadDataset(spec({ split: { fractions: { validation: 0.25 }, stratify: 'tags' } }))).rejects.toThrow(/only class targets can stratify a split; label 'tags' is a multilabel target/);
    expect(() => splitSamples([], { stratify: 'speed' }, 0, 'm', { speed: 'regression' })).toThrow(/only class targets can stratify/);
    // 3 cats and 4 dogs: round(0.5 * count) of each class is held out
    const stratified = await loadDataset(spec({ labels: { label: {}, speed: { type: 'regression' } }, split: { fractions: { validation: 0.5 }, stratify: 'label' } }));
    expect(stratified.summary().classCounts.label.validation).toEqual({ cat: 2, dog: 2 });
  });

  it('checks the target options of a spec', () => {
    expect(validateDatasetSpec(spec())).toEqual(spec());
    const labels = (label: Record<string, unknown>) => ({ ...spec(), labels: { answer: label } }) as unknown;
    expect(() => validateDatasetSpec(labels({ type: 'sequence' }))).toThrow(/dataset\.labels\.answer\.tokenizer must be a preprocessor spec for a sequence target/);
    expect(() => validateDatasetSpec(labels({ type: 'ranking' }))).toThrow(/dataset\.labels\.answer\.type must be one of "class", "multilabel", "regression", "number", "sequence", "match"/);
    expect(() => validateDatasetSpec(labels({ type: 'regression', size: 0 }))).toThrow(/dataset\.labels\.answer\.size must be an integer >= 1/);
    expect(() => validateDatasetSpec(labels({ type: 'match', group: 3 }))).toThrow(/dataset\.labels\.answer\.group must be the name of a manifest field/);
  });

  it('names the label of a bad sequence value', async () => {
    const file = path.join(dir, 'bad.jsonl');
    await fs.writeFile(file, [JSON.stringify({ x: 1, caption: 'a dog', split: 'train' }), JSON.stringify({ x: 2, caption: ['ok', 3], split: 'train' })].join('\n'));
    const dataset = await loadDataset({ ...spec(), manifest: file, labels: { caption: spec().labels!.caption } });
    expect(dataset.issues).toEqual([expect.objectContaining({ line: 2, field: 'caption', message: expect.stringMatching(/expected a text or a list of non-empty texts/) })]);
  });
});
