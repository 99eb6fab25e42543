import { describe, expect, it, beforeAll } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readManifest, formatIssue } from '../index.js';

describe('readManifest', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-manifest-'));
  });

  it('reads JSONL and reports a corrupt line by number instead of throwing', async () => {
    const file = path.join(dir, 'm.jsonl');
    await fs.writeFile(file, '{"image": "a.png", "label": 1}\n\n{"image": "b.png", "label": \n[1, 2]\n{"image": "c.png", "label": 3}\n');
    const { rows, issues } = await readManifest(file);
    expect(rows).toEqual([
      { line: 1, values: { image: 'a.png', label: 1 } },
      { line: 5, values: { image: 'c.png', label: 3 } },
    ]);
    expect(issues.map((i) => i.line)).toEqual([3, 4]);
    expect(formatIssue('m.jsonl', issues[0])).toMatch(/^m\.jsonl:3: not valid JSON/);
    expect(issues[1].message).toBe('expected a JSON object, got an array');
  });

  it('reads CSV with quoted fields (commas, quotes, newlines) and reports rows with the wrong number of cells', async () => {
    const file = path.join(dir, 'm.csv');
    await fs.writeFile(file, 'text,label\r\n"hello, world",pos\n"she said ""hi""\nthen left",neg\nonly-one-cell\n,neg\n');
    const { rows, issues } = await readManifest(file);
    expect(rows).toEqual([
      { line: 2, values: { text: 'hello, world', label: 'pos' } },
      { line: 3, values: { text: 'she said "hi"\nthen left', label: 'neg' } },
      { line: 6, values: { text: undefined, label: 'neg' } },
    ]);
    expect(issues).toEqual([{ line: 5, message: 'has 1 cells but the header has 2' }]);
  });

  it('names a missing manifest', async () => {
    await expect(readManifest(path.join(dir, 'gone.jsonl'))).rejects.toThrow(/Manifest .*gone\.jsonl does not exist/);
  });
});
