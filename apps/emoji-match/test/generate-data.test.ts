import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
// @ts-expect-error: a plain ES module without type declarations
import * as baselines from '../scripts/baselines.mjs';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const generator = path.join(appDir, 'scripts', 'generate-data.mjs');
const STYLES = ['twemoji', 'noto', 'openmoji'];

interface Row {
  id: string;
  image: string;
  text: string;
  label: string;
  tags: string[];
  group: string;
  subgroup: string | null;
  style: string;
  emoji: string;
  split: 'train' | 'val' | 'test';
  emojiSeen: boolean;
  styleSeen: boolean;
}

function generate(args: string[]) {
  return spawnSync(process.execPath, [generator, ...args], { encoding: 'utf8', cwd: appDir });
}

const readRows = async (dir: string): Promise<Row[]> =>
  (await fs.readFile(path.join(dir, 'pairs.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('emoji-match data generator', () => {
  let out: string;
  let rows: Row[];
  let seconds: number;

  beforeAll(async () => {
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'emoji-match-'));
    const started = Date.now();
    const result = generate(['--out', path.join(out, 'a'), '--max-emoji', '30', '--quiet']);
    seconds = (Date.now() - started) / 1000;
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    rows = await readRows(path.join(out, 'a'));
  }, 120_000);

  it('prints its options with --help', () => {
    const result = generate(['--help']);
    expect(result.status).toBe(0);
    for (const option of ['--out', '--size', '--max-emoji', '--seed', '--test-style']) expect(result.stdout).toContain(option);
  });

  it('rejects bad options with the option name', () => {
    const never = path.join(os.tmpdir(), 'emoji-match-never-written');
    const style = generate(['--test-style', 'comic-sans', '--out', never]);
    expect(style.status).toBe(2);
    expect(style.stderr).toMatch(/--test-style must be one of/);
    const size = generate(['--size', 'big', '--out', never]);
    expect(size.status).toBe(2);
    expect(size.stderr).toMatch(/--size must be a number/);
    expect(existsSync(never)).toBe(false);
  });

  it('writes one row per emoji and style, in every style folder, with decodable non-blank images', async () => {
    const emoji = new Set(rows.map((r) => r.emoji));
    expect(emoji.size).toBe(30);
    for (const style of STYLES) {
      const files = await fs.readdir(path.join(out, 'a', 'images', style));
      expect(files.length).toBeGreaterThan(0);
      expect(files.length).toBe(rows.filter((r) => r.style === style).length);
    }
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const row of rows) {
      expect(row.image).toBe(`images/${row.style}/${row.emoji}.png`);
      const png = PNG.sync.read(await fs.readFile(path.join(out, 'a', row.image)));
      expect([png.width, png.height]).toEqual([32, 32]);
      // Not blank: some pixels differ clearly from the white background and from each other.
      let nonWhite = 0;
      const values = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4) {
        if (png.data[i] + png.data[i + 1] + png.data[i + 2] < 3 * 230) nonWhite++;
        values.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
      }
      expect(nonWhite, row.id).toBeGreaterThan(32);
      expect(values.size, row.id).toBeGreaterThan(1); // Noto's Swiss flag, cropped, is red and white only
    }
  });

  it('pairs each emoji with one text that contains its label, shared across its styles', () => {
    const byEmoji = new Map<string, Row[]>();
    for (const row of rows) byEmoji.set(row.emoji, [...(byEmoji.get(row.emoji) ?? []), row]);
    for (const [hexcode, group] of byEmoji) {
      expect(new Set(group.map((r) => r.style)).size, hexcode).toBe(group.length);
      expect(group.length, hexcode).toBeGreaterThanOrEqual(2);
      expect(new Set(group.map((r) => r.text)).size).toBe(1);
      expect(new Set(group.map((r) => r.group)).size).toBe(1);
      expect(group.every((r) => r.id === `${r.style}-${hexcode}`)).toBe(true);
    }
    for (const row of rows) {
      expect(row.text.startsWith(row.label)).toBe(true);
      expect(row.label.length).toBeGreaterThan(0);
      expect(Array.isArray(row.tags)).toBe(true);
    }
  });

  it('holds out the test style and unseen emoji honestly', () => {
    const splits = new Set(rows.map((r) => r.split));
    expect(splits).toEqual(new Set(['train', 'val', 'test']));
    // The held-out style appears only in test.
    for (const row of rows.filter((r) => r.style === 'openmoji')) expect(row.split).toBe('test');
    for (const row of rows) expect(row.styleSeen).toBe(row.style !== 'openmoji');
    // emojiSeen is exactly "the hexcode occurs in a training row".
    const trained = new Set(rows.filter((r) => r.split === 'train').map((r) => r.emoji));
    for (const row of rows) expect(row.emojiSeen).toBe(trained.has(row.emoji));
    // Validation emoji and held-out test emoji never occur in training.
    for (const row of rows.filter((r) => r.split === 'val')) expect(trained.has(row.emoji)).toBe(false);
    const heldOut = rows.filter((r) => r.split === 'test' && r.styleSeen);
    expect(heldOut.length).toBeGreaterThan(0);
    for (const row of heldOut) expect(trained.has(row.emoji)).toBe(false);
    // The test split measures both seen and unseen emoji in the unseen style.
    expect(rows.some((r) => r.split === 'test' && !r.styleSeen && r.emojiSeen)).toBe(true);
    expect(rows.some((r) => r.split === 'test' && !r.styleSeen && !r.emojiSeen)).toBe(true);
    const count = (split: string) => rows.filter((r) => r.split === split).length;
    console.log(
      `emoji-match (30 emoji): ${rows.length} rows in ${STYLES.length} styles; train ${count('train')}, val ${count('val')}, test ${count('test')}; generated in ${seconds.toFixed(1)} s`,
    );
  });

  it('writes the emoji groups with a zero-shot prompt each', async () => {
    const groups = JSON.parse(await fs.readFile(path.join(out, 'a', 'groups.json'), 'utf8'));
    const keys = groups.map((g: { key: string }) => g.key);
    expect(keys).toContain('smileys-emotion');
    expect(keys).not.toContain('component');
    expect(groups.find((g: { key: string }) => g.key === 'food-drink').prompt).toBe('food and drink');
    for (const row of rows) expect(keys).toContain(row.group);
    const dataset = JSON.parse(await fs.readFile(path.join(out, 'a', 'dataset.json'), 'utf8'));
    expect(dataset.stats.emoji).toBe(30);
    expect(dataset.stats.rows).toBe(rows.length);
  });

  it('is deterministic, and --size sets the image size', async () => {
    const again = generate(['--out', path.join(out, 'b'), '--max-emoji', '30', '--quiet']);
    expect(again.status).toBe(0);
    const manifest = await fs.readFile(path.join(out, 'a', 'pairs.jsonl'), 'utf8');
    expect(await fs.readFile(path.join(out, 'b', 'pairs.jsonl'), 'utf8')).toBe(manifest);
    for (const row of rows.slice(0, 10)) {
      const a = await fs.readFile(path.join(out, 'a', row.image));
      expect(a.equals(await fs.readFile(path.join(out, 'b', row.image)))).toBe(true);
    }
    // Up to date: a second run with the same options leaves the folder alone.
    const unchanged = generate(['--out', path.join(out, 'a'), '--max-emoji', '30']);
    expect(unchanged.status).toBe(0);
    expect(unchanged.stderr).toMatch(/up to date/);

    const small = generate(['--out', path.join(out, 'c'), '--max-emoji', '6', '--size', '24', '--seed', '7', '--quiet']);
    expect(small.status).toBe(0);
    const smallRows = await readRows(path.join(out, 'c'));
    const png = PNG.sync.read(await fs.readFile(path.join(out, 'c', smallRows[0].image)));
    expect([png.width, png.height]).toEqual([24, 24]);
  }, 120_000);

  it('computes the chance and bag-of-words baselines', async () => {
    // Chance: K/N with one positive; the simulation agrees.
    expect(baselines.expectedRandomRecall(5, 100)).toBeCloseTo(0.05, 10);
    expect(baselines.expectedRandomRecall(1, 10, 2)).toBeCloseTo(0.2, 10);
    expect(baselines.expectedRandomRecall(10, 5)).toBe(1);
    const groups = Array.from({ length: 60 }, (_, i) => `e${i % 30}`);
    const expected = baselines.expectedRandomRecallForGroups(groups, 5);
    expect(baselines.simulateRandomRecall(groups, 5, { seed: 3, trials: 200 })).toBeCloseTo(expected, 2);
    expect(baselines.simulateRandomRecall(groups, 5, { seed: 3, trials: 5 })).toBe(baselines.simulateRandomRecall(groups, 5, { seed: 3, trials: 5 }));

    // recall@K on a hand-made score matrix; ties count against the query.
    const scores = [
      [0.9, 0.1, 0.5],
      [0.2, 0.3, 0.8],
      [0.5, 0.5, 0.5],
    ];
    const recall = baselines.recallAtK(scores, ['a', 'b', 'c'], ['a', 'b', 'c'], [1, 2]);
    expect(recall['recall@1']).toBeCloseTo(1 / 3);
    expect(recall['recall@2']).toBeCloseTo(2 / 3);

    // Ridge from pixels to words learns a colour ↔ word toy problem exactly.
    const red = [1, 0, 0, 1];
    const blue = [0, 0, 1, 1];
    const model = baselines.fitBowPixelRidge([red, blue, red, blue], ['red apple', 'blue sea', 'red fire', 'blue sky'], { lambda: 0.01 });
    const toy = baselines.scoreTextsAgainstImages(model, ['red', 'blue'], [blue, red]);
    expect(toy[0][1]).toBeGreaterThan(toy[0][0]);
    expect(toy[1][0]).toBeGreaterThan(toy[1][1]);

    // On the generated data: features from the PNGs, fitted on train, scored on test.
    const features = new Map<string, Float64Array>();
    for (const row of rows) {
      const png = PNG.sync.read(await fs.readFile(path.join(out, 'a', row.image)));
      const f = baselines.pixelFeatures(png.data, png.width, png.height, 4, 4);
      expect(f.length).toBe(4 * 4 * 3 + 1);
      features.set(row.id, f);
    }
    const train = rows.filter((r) => r.split === 'train');
    const test = rows.filter((r) => r.split === 'test');
    const fitted = baselines.fitBowPixelRidge(
      train.map((r) => features.get(r.id)),
      train.map((r) => r.text),
      { lambda: 1 },
    );
    const testScores = baselines.scoreTextsAgainstImages(fitted, test.map((r) => r.text), test.map((r) => features.get(r.id)));
    const result = baselines.recallAtK(testScores, test.map((r) => r.emoji), test.map((r) => r.emoji), [1, 5, 10]);
    for (const k of [1, 5, 10]) expect(result[`recall@${k}`]).toBeGreaterThanOrEqual(0);
    expect(result['recall@10']).toBeGreaterThanOrEqual(result['recall@1']);
  }, 60_000);
});
