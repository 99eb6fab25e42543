import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { ConfigError, InputError, initBackend, registry, type Preprocessor } from '@polyfuse/core';
import { decodeManifest, invalidUtf8, loadDataset, type DatasetSpec } from '../node.js';

// A file preprocessor that fails on files holding 'bad', the way a decoder fails on a corrupt file.
registry.register({
  kind: 'preprocessor',
  name: 'checked-file',
  create: (): Preprocessor => ({
    outputShape: [1],
    dtype: 'float32',
    config: {},
    async process(value, context) {
      const text = await fs.readFile(path.resolve(context.baseDir, value as string), 'utf8');
      if (text === 'bad') throw new InputError(`${value as string}: corrupt.`);
      return Float32Array.of(text.length);
    },
  }),
});

let dir: string;

function spec(manifest: string, extra: Partial<DatasetSpec> = {}): DatasetSpec {
  return { manifest, modalities: { f: { preprocessor: { name: 'checked-file' } } }, labels: { label: {} }, split: { field: 'split' }, ...extra };
}

beforeAll(async () => {
  await initBackend({ log: null });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-bad-samples-'));
  await fs.writeFile(path.join(dir, 'good.txt'), 'good');
  await fs.writeFile(path.join(dir, 'bad.txt'), 'bad');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('decodeManifest', () => {
  it('decodes valid UTF-8 (a byte-order mark dropped) and names each line that is not', () => {
    const valid = decodeManifest(Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"a": "café"}\n')]));
    expect(valid).toEqual({ text: '{"a": "café"}\n', badLines: new Map() });
    const bytes = Buffer.concat([Buffer.from('{"a": 1}\n{"a": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"a": 2}\n'), Buffer.from([0xc3, 0x28])]);
    const { badLines } = decodeManifest(bytes);
    expect([...badLines.keys()]).toEqual([2, 4]);
    expect(badLines.get(2)).toBe("the line is not valid UTF-8 (byte 0xe9 at column 11); save the manifest as UTF-8, or set its encoding (e.g. 'latin1').");
    expect(badLines.get(4)).toMatch(/^the line is not valid UTF-8 \(byte 0xc3 at column 1\)/);
  });

  it('decodes the whole file with an explicit encoding, and refuses an unknown one', () => {
    expect(decodeManifest(Buffer.from('{"a": "caf\xe9"}', 'latin1'), 'latin1')).toEqual({ text: '{"a": "café"}', badLines: new Map() });
    expect(() => decodeManifest(Buffer.from('x'), 'klingon', 'data.encoding')).toThrow(ConfigError);
    expect(() => decodeManifest(Buffer.from('x'), 'klingon', 'data.encoding')).toThrow(/^data\.encoding: unknown text encoding 'klingon'/);
  });

  it('finds the first byte that breaks UTF-8', () => {
    expect(invalidUtf8(Buffer.from('plain é'))).toBeUndefined();
    expect(invalidUtf8(Uint8Array.from([0x61, 0xe2, 0x82]))).toBe(1); // a three-byte sequence cut short
    expect(invalidUtf8(Uint8Array.from([0x61, 0x62, 0x80]))).toBe(2); // a stray continuation byte
  });
});

describe('loadDataset: lines that are not valid UTF-8 are bad samples', () => {
  const lines = () => [
    Buffer.from('{"f": "good.txt", "label": "a", "split": "train"}'),
    Buffer.concat([Buffer.from('{"f": "good.txt", "label": "caf'), Buffer.from([0xe9]), Buffer.from('", "split": "train"}')]),
    Buffer.from('{"f": "good.txt", "label": "b", "split": "train"}'),
  ];

  it('skips and reports them in JSONL, instead of training on U+FFFD', async () => {
    const manifest = path.join(dir, 'latin1.jsonl');
    await fs.writeFile(manifest, Buffer.concat(lines().flatMap((l) => [l, Buffer.from('\n')])));
    const dataset = await loadDataset(spec(manifest));
    expect(dataset.splits.train.map((r) => r.line)).toEqual([1, 3]);
    expect(dataset.labels.label.classes).toEqual(['a', 'b']);
    expect(dataset.issues).toEqual([{ source: manifest, line: 2, message: "the line is not valid UTF-8 (byte 0xe9 at column 32); save the manifest as UTF-8, or set its encoding (e.g. 'latin1')." }]);
    await expect(loadDataset(spec(manifest, { onBadSample: 'error' }))).rejects.toThrow(/^Bad manifest line: .*latin1\.jsonl:2: the line is not valid UTF-8/);
  });

  it('skips them in CSV too, by the record they belong to', async () => {
    const manifest = path.join(dir, 'latin1.csv');
    await fs.writeFile(manifest, Buffer.concat([Buffer.from('f,label,split\ngood.txt,a,train\ngood.txt,"caf'), Buffer.from([0xe9]), Buffer.from('\nau lait",train\ngood.txt,b,train\n')]));
    const dataset = await loadDataset(spec(manifest));
    expect(dataset.splits.train.map((r) => r.line)).toEqual([2, 5]);
    expect(dataset.issues.map((i) => [i.line, i.message.slice(0, 27)])).toEqual([[3, 'the line is not valid UTF-8']]);
  });

  it('reads them with an explicit encoding', async () => {
    const manifest = path.join(dir, 'latin1-declared.jsonl');
    await fs.writeFile(manifest, Buffer.concat(lines().flatMap((l) => [l, Buffer.from('\n')])));
    const dataset = await loadDataset(spec(manifest, { encoding: 'latin1' }));
    expect(dataset.issues).toEqual([]);
    expect(dataset.labels.label.classes).toEqual(['a', 'b', 'café']);
    await expect(loadDataset(spec(manifest, { encoding: 'ebcdic-9' }))).rejects.toThrow(/^dataset\.encoding: unknown text encoding 'ebcdic-9'/);
  });
});

describe('Dataset.dropUnusable', () => {
  it('removes samples whose files fail to preprocess, so splits and batches count usable samples only', async () => {
    const manifest = path.join(dir, 'mixed.jsonl');
    const rows = ['good', 'bad', 'good', 'missing', 'good', 'bad'].map((f, i) => JSON.stringify({ f: `${f}.txt`, label: i % 2 ? 'a' : 'b', split: i < 4 ? 'train' : 'test' }));
    await fs.writeFile(manifest, rows.join('\n'));
    const dataset = await loadDataset(spec(manifest));
    expect(dataset.summary().samples).toEqual({ train: 4, validation: 0, test: 2 });
    const progress: number[] = [];
    const dropped = await dataset.dropUnusable({ onProgress: (done) => progress.push(done) });
    expect(dropped).toEqual([2, 4, 6]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    expect(dataset.summary().samples).toEqual({ train: 2, validation: 0, test: 1 });
    // Reported as they are found, several at a time.
    expect(dataset.issues.map((i) => [i.line, i.field]).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
      [2, 'f'],
      [4, 'f'],
      [6, 'f'],
    ]);
    expect(dataset.issues.find((i) => i.line === 4)!.message).toMatch(/missing\.txt does not exist/);
    const loader = dataset.loader('train', { batchSize: 2 });
    expect([loader.size, loader.batchCount]).toEqual([2, 1]);

    // Another copy of the dataset (a data-parallel replica) drops the same lines without preprocessing again.
    const copy = await loadDataset(spec(manifest));
    copy.dropLines(dropped);
    expect(copy.splits.train.map((r) => r.line)).toEqual(dataset.splits.train.map((r) => r.line));
    expect(copy.issues).toEqual([]);
  });
});
