import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const generator = path.join(appDir, 'scripts', 'generate-data.mjs');

interface Row {
  id: string;
  text: string;
  meta: number[];
  sender: string | null;
  label: 'spam' | 'ham';
  split: 'train' | 'val' | 'test';
  set: 'collection1' | 'collection2';
  corpusGroup: string;
  duplicateGroup: string;
}

const generate = (args: string[]) => spawnSync(process.execPath, [generator, ...args], { encoding: 'utf8', cwd: appDir });
const readRows = async (file: string): Promise<Row[]> =>
  (await fs.readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('spam data generator', () => {
  let out: string;
  let rows: Row[];
  let dataset: { metaColumns: string[]; stats: { splits: Record<string, { total: number; spam: number }>; nearDuplicates: { groupsMerged: number } } };

  beforeAll(async () => {
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'spam-data-'));
    const result = generate(['--out', path.join(out, 'a'), '--max-emails', '800']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/splits: train \d+ \(\d+ spam, \d+ ham\)/);
    expect(result.stderr).toMatch(/near-duplicates .*: \d+ groups merged/);
    rows = [...(await readRows(path.join(out, 'a', 'manifest.jsonl'))), ...(await readRows(path.join(out, 'a', 'collection2.jsonl')))];
    dataset = JSON.parse(await fs.readFile(path.join(out, 'a', 'dataset.json'), 'utf8'));
  });

  it('prints its options with --help', () => {
    const result = generate(['--help']);
    expect(result.status).toBe(0);
    for (const option of ['--out', '--max-emails', '--seed', '--force', '--duplicate-threshold']) expect(result.stdout).toContain(option);
  });

  it('rejects bad options with a clear message and exit code 2', () => {
    for (const [args, message] of [
      [['--max-emails', 'ten'], '--max-emails must be a number'],
      [['--max-emails', '20'], 'at least 100'],
      [['--test-fraction', '1.5'], '--test-fraction must be between 0 and 1'],
      [['--test-fraction', '0.5', '--val-fraction', '0.4'], 'at least 20% for training'],
    ] as const) {
      const result = generate([...args, '--out', path.join(out, 'bad')]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });

  it('writes one row per email with text, 16 metadata numbers, the sender TLD, the label and the split', () => {
    expect(rows.length).toBeGreaterThan(750);
    expect(dataset.metaColumns).toHaveLength(16);
    for (const row of rows) {
      expect(row.meta).toHaveLength(16);
      expect(row.meta.every(Number.isFinite)).toBe(true);
      expect(row.label).toBe(row.corpusGroup.startsWith('spam') ? 'spam' : 'ham');
      expect(['train', 'val', 'test']).toContain(row.split);
    }
    expect(rows.filter((r) => r.text.length > 0).length / rows.length).toBeGreaterThan(0.97);
    expect(rows.some((r) => r.sender === 'com')).toBe(true);
  });

  it('keeps every near-duplicate group inside one split and collection2 apart from the first collection', () => {
    const splitOf = new Map<string, string>();
    for (const row of rows) {
      const where = `${row.set}/${row.split}`;
      expect(splitOf.get(row.duplicateGroup) ?? where).toBe(where);
      splitOf.set(row.duplicateGroup, where);
    }
    expect(dataset.stats.nearDuplicates.groupsMerged).toBeGreaterThan(0);
    for (const row of rows.filter((r) => r.set === 'collection2')) {
      expect(['easy-ham-2', 'spam-2']).toContain(row.corpusGroup);
      expect(row.split).toBe('test');
    }
  });

  it('stratifies the first collection: each split has about the same spam share', () => {
    const share = (split: string) => {
      const s = dataset.stats.splits[split]!;
      return s.spam / s.total;
    };
    for (const split of ['val', 'test']) expect(Math.abs(share(split) - share('train'))).toBeLessThan(0.06);
  });

  it('is deterministic and skips the work when the folder matches its options', async () => {
    const again = generate(['--out', path.join(out, 'b'), '--max-emails', '800', '--quiet']);
    expect(again.status, again.stderr).toBe(0);
    for (const file of ['manifest.jsonl', 'collection2.jsonl', 'dataset.json']) {
      expect(await fs.readFile(path.join(out, 'b', file), 'utf8')).toBe(await fs.readFile(path.join(out, 'a', file), 'utf8'));
    }
    const skipped = generate(['--out', path.join(out, 'a'), '--max-emails', '800']);
    expect(skipped.status).toBe(0);
    expect(skipped.stderr).toContain('is up to date');
  });
});
