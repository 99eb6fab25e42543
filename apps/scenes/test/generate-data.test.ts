import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain ESM script without type declarations
import * as baselines from '../scripts/baselines.mjs';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const generator = path.join(appDir, 'scripts', 'generate-data.mjs');
const fashionDir = process.env.FASHION_MNIST_DIR || '/usr/share/datasets/fashion-mnist';
const hasFashion = ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte'].every(
  (stem) => existsSync(path.join(fashionDir, `${stem}.gz`)) || existsSync(path.join(fashionDir, stem)),
);

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const CLOTHING = ['shirt', 'trouser', 'dress', 'sneaker', 'bag', 'boot'];
const NUMBERS = ['zero', 'one', 'two', 'three', 'four'];
/** Scenes generated for the checks; SCENES_TEST_SCENES=3000 runs them on a larger set. */
const COUNT = Number(process.env.SCENES_TEST_SCENES ?? 40);

interface SceneObject {
  category: string;
  kind: 'digit' | 'clothing';
  row: number;
  col: number;
  position: string;
  x: number;
  y: number;
  size: number;
  source: string;
}
interface Scene {
  id: string;
  image: string;
  captions: string[];
  objects: SceneObject[];
  split: string;
}
interface Question {
  id: string;
  image: string;
  question: string;
  answer: string;
  type: string;
  split: string;
}

function generate(args: string[]) {
  return spawnSync(process.execPath, [generator, ...args], { encoding: 'utf8', cwd: appDir });
}

const readJsonl = async <T>(file: string): Promise<T[]> =>
  (await fs.readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);

/** Categories a caption names: digits after an article, "handwritten" or "digit"; any clothing word. */
function mentions(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(new RegExp(`\\b(?:a|an|handwritten|digit)\\s+(${DIGITS.join('|')})\\b`, 'g'))) found.push(m[1]);
  for (const m of text.matchAll(new RegExp(`\\b(${CLOTHING.join('|')})\\b`, 'g'))) found.push(m[1]);
  return found;
}

/** The answer to a generated question, derived here from the scene's objects. */
function derive(question: string, objects: SceneObject[]): string {
  let m: RegExpMatchArray | null;
  const count = (test: (o: SceneObject) => boolean) => NUMBERS[objects.filter(test).length];
  if ((m = question.match(/^how many (objects|digits|clothing items) are there\?$/))) {
    return count((o) => m![1] === 'objects' || (m![1] === 'digits' ? o.kind === 'digit' : o.kind === 'clothing'));
  }
  if ((m = question.match(/^how many objects are on the (left|right)\?$/))) return count((o) => o.col === (m![1] === 'left' ? 0 : 1));
  if ((m = question.match(/^how many objects are in the (top|bottom) row\?$/))) return count((o) => o.row === (m![1] === 'top' ? 0 : 1));
  if ((m = question.match(/^is there an? (\w+)\?$/))) return objects.some((o) => o.category === m![1]) ? 'yes' : 'no';
  if ((m = question.match(/^what is (left of|right of|above|below) the (\w+)\?$/))) {
    const matching = objects.filter((o) => o.category === m![2]);
    expect(matching).toHaveLength(1);
    const [o] = matching;
    const [dr, dc] = { 'left of': [0, -1], 'right of': [0, 1], above: [-1, 0], below: [1, 0] }[m[1]]!;
    const neighbours = objects.filter((x) => x.row === o.row + dr && x.col === o.col + dc);
    expect(neighbours).toHaveLength(1);
    return neighbours[0].category;
  }
  if ((m = question.match(/^what is in the (top|bottom) (left|right)\?$/))) {
    const at = objects.filter((o) => o.row === (m![1] === 'top' ? 0 : 1) && o.col === (m![2] === 'left' ? 0 : 1));
    expect(at).toHaveLength(1);
    return at[0].category;
  }
  throw new Error(`unexpected question '${question}'`);
}

describe('scenes data generator', () => {
  it('prints its options with --help', () => {
    const result = generate(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--scenes N/);
    expect(result.stdout).toMatch(/--questions-per-scene N/);
    expect(result.stdout).toMatch(/apt-get install -y dataset-fashion-mnist/);
  });

  it('tells the user how to install Fashion-MNIST when it is missing', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'scenes-'));
    const result = generate(['--out', path.join(out, 'data'), '--scenes', '5', '--fashion-dir', path.join(out, 'nowhere')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/apt-get install -y dataset-fashion-mnist/);
    expect(result.stderr).not.toMatch(/at .*\.mjs:\d+/);
    expect(existsSync(path.join(out, 'data'))).toBe(false);
    await fs.rm(out, { recursive: true, force: true });
  });

  it('rejects bad options with the option name', () => {
    const result = generate(['--test-fraction', '2', '--out', path.join(os.tmpdir(), 'scenes-never-written')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--test-fraction must be between 0 and 1/);
  });

  describe.skipIf(!hasFashion)('on a small generated set', () => {
    let root = '';
    let data = '';
    let scenes: Scene[] = [];
    let questions: Question[] = [];
    let info: { heldOutPairs: string[]; summary: { vocabulary: number; longestCaption: number } };

    beforeAll(async () => {
      root = await fs.mkdtemp(path.join(os.tmpdir(), 'scenes-'));
      data = path.join(root, 'a');
      const result = generate(['--out', data, '--scenes', String(COUNT), '--seed', '3', '--quiet']);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      scenes = await readJsonl<Scene>(path.join(data, 'captions.jsonl'));
      questions = await readJsonl<Question>(path.join(data, 'vqa.jsonl'));
      info = JSON.parse(await fs.readFile(path.join(data, 'dataset.json'), 'utf8'));
    });
    afterAll(async () => {
      if (root) await fs.rm(root, { recursive: true, force: true });
    });

    it('is deterministic for a seed and differs for another', async () => {
      const again = path.join(root, 'b');
      expect(generate(['--out', again, '--scenes', String(COUNT), '--seed', '3', '--quiet']).status).toBe(0);
      for (const file of ['captions.jsonl', 'vqa.jsonl', 'dataset.json']) {
        expect(await fs.readFile(path.join(again, file), 'utf8')).toBe(await fs.readFile(path.join(data, file), 'utf8'));
      }
      for (const scene of scenes.slice(0, 5)) {
        const a = await fs.readFile(path.join(data, scene.image));
        expect(a.equals(await fs.readFile(path.join(again, scene.image)))).toBe(true);
      }
      const other = path.join(root, 'c');
      expect(generate(['--out', other, '--scenes', String(COUNT), '--seed', '4', '--quiet']).status).toBe(0);
      expect(await fs.readFile(path.join(other, 'captions.jsonl'), 'utf8')).not.toBe(await fs.readFile(path.join(data, 'captions.jsonl'), 'utf8'));
      expect(existsSync(`${data}.tmp-${process.pid}`)).toBe(false);
    });

    it('writes every file the manifests name', async () => {
      expect(scenes).toHaveLength(COUNT);
      expect(questions).toHaveLength(COUNT * 4);
      const images = (await fs.readdir(path.join(data, 'images'))).sort();
      expect(images).toEqual(scenes.map((s) => `${s.id}.png`).sort());
      for (const scene of scenes.slice(0, 200)) {
        expect(scene.image).toBe(`images/${scene.id}.png`);
        const bytes = await fs.readFile(path.join(data, scene.image));
        expect(bytes.subarray(1, 4).toString()).toBe('PNG');
      }
      const ids = new Set(scenes.map((s) => s.image));
      for (const q of questions) expect(ids.has(q.image)).toBe(true);
      expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    });

    it('places 2–4 distinct objects in distinct cells, inside the canvas', () => {
      for (const scene of scenes) {
        expect(scene.objects.length).toBeGreaterThanOrEqual(2);
        expect(scene.objects.length).toBeLessThanOrEqual(4);
        expect(new Set(scene.objects.map((o) => o.category)).size).toBe(scene.objects.length);
        expect(new Set(scene.objects.map((o) => `${o.row},${o.col}`)).size).toBe(scene.objects.length);
        for (const o of scene.objects) {
          expect(o.kind).toBe(DIGITS.includes(o.category) ? 'digit' : 'clothing');
          expect(o.x).toBeGreaterThanOrEqual(o.col * 32);
          expect(o.x + o.size).toBeLessThanOrEqual(o.col * 32 + 32);
          expect(o.y).toBeGreaterThanOrEqual(o.row * 32);
          expect(o.y + o.size).toBeLessThanOrEqual(o.row * 32 + 32);
        }
      }
    });

    it('captions name only the categories present and state true relations', () => {
      expect(info.summary.vocabulary).toBeLessThan(80);
      for (const scene of scenes) {
        expect(scene.captions).toHaveLength(5);
        const present = new Set(scene.objects.map((o) => o.category));
        const named = new Set<string>();
        for (const caption of scene.captions) {
          expect(caption.split(/\s+/).length).toBeLessThanOrEqual(14);
          for (const category of mentions(caption)) {
            expect(present.has(category), `${scene.id}: '${caption}' names a ${category}`).toBe(true);
            named.add(category);
          }
          const relation = caption.match(/^(?:there (?:is|are) )?(.+?) (to the left of|left of|to the right of|right of|above|below) (.+)$/);
          if (relation) {
            const find = (c: string) => scene.objects.find((o) => o.category === c)!;
            for (const a of mentions(relation[1]).map(find))
              for (const b of mentions(relation[3]).map(find)) {
                const holds = {
                  'to the left of': a.col < b.col,
                  'left of': a.col < b.col,
                  'to the right of': a.col > b.col,
                  'right of': a.col > b.col,
                  above: a.row < b.row,
                  below: a.row > b.row,
                }[relation[2]];
                expect(holds, `${scene.id}: '${caption}'`).toBe(true);
              }
          }
          for (const m of caption.matchAll(/(\w+) (?:in|at) the (top left|top right|bottom left|bottom right)/g)) {
            expect(scene.objects.find((o) => o.category === m[1])?.position, `${scene.id}: '${caption}'`).toBe(m[2]);
          }
        }
        expect(named.size).toBeGreaterThan(0);
      }
    });

    it('answers every question correctly with one word', () => {
      const byImage = new Map(scenes.map((s) => [s.image, s]));
      const types = new Set<string>();
      for (const q of questions) {
        const scene = byImage.get(q.image)!;
        expect(q.split).toBe(scene.split);
        expect(q.answer).toMatch(/^[a-z]+$/);
        expect(derive(q.question, scene.objects), `${q.id}: ${q.question}`).toBe(q.answer);
        types.add(q.type);
      }
      expect([...types].sort()).toEqual(['category', 'count', 'exists', 'spatial']);
      const exists = questions.filter((q) => q.type === 'exists');
      const yes = exists.filter((q) => q.answer === 'yes').length;
      expect(Math.abs(2 * yes - exists.length)).toBeLessThanOrEqual(2);
    });

    it('keeps held-out category pairs and test source images out of training', () => {
      const held = new Set(info.heldOutPairs);
      expect(held.size).toBe(12);
      const pairs = (scene: Scene) => {
        const names = scene.objects.map((o) => o.category);
        return names.flatMap((a, i) => names.slice(i + 1).map((b) => (a < b ? `${a}+${b}` : `${b}+${a}`)));
      };
      expect(new Set(scenes.map((s) => s.split))).toEqual(new Set(['train', 'val', 'test']));
      for (const scene of scenes) {
        const heldHere = pairs(scene).some((p) => held.has(p));
        expect(heldHere, `${scene.id} (${scene.split})`).toBe(scene.split === 'test');
      }
      const sources = (split: string) => new Set(scenes.filter((s) => s.split === split).flatMap((s) => s.objects.map((o) => o.source)));
      const train = sources('train');
      for (const split of ['val', 'test']) for (const source of sources(split)) expect(train.has(source)).toBe(false);
      for (const source of sources('test')) expect(sources('val').has(source)).toBe(false);
    });

    it('skips the work when the folder is up to date', () => {
      const result = generate(['--out', data, '--scenes', String(COUNT), '--seed', '3']);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/up to date/);
    });

    it('gives the nearest-neighbour captions and question-only baselines', () => {
      const load = (scene: Scene) => {
        const { width, height, pixels } = baselines.readGrayPng(path.join(data, scene.image));
        return { id: scene.id, pixels: baselines.downsample(pixels, width, height, 4), captions: scene.captions };
      };
      const train = scenes.filter((s) => s.split === 'train').map(load);
      const test = scenes.filter((s) => s.split === 'test').map(load);
      expect(train[0].pixels).toHaveLength(16 * 16);
      // A training image is its own nearest neighbour.
      const self = baselines.nearestNeighbourCaptions(train, train.slice(0, 3));
      self.forEach((r: { id: string; neighbour: string; distance: number; captions: string[] }, i: number) => {
        expect(r.neighbour).toBe(train[i].id);
        expect(r.distance).toBe(0);
        expect(r.captions).toEqual(train[i].captions);
      });
      const results = baselines.nearestNeighbourCaptions(train, test);
      expect(results).toHaveLength(test.length);
      const trainIds = new Set(train.map((t) => t.id));
      for (const r of results) {
        expect(trainIds.has(r.neighbour)).toBe(true);
        expect(r.captions).toHaveLength(5);
        const expected = Math.min(...train.map((t) => Math.sqrt(baselines.squaredDistance(test.find((q) => q.id === r.id)!.pixels, t.pixels))));
        expect(r.distance).toBeCloseTo(expected, 5);
      }

      const vqa = baselines.questionOnlyBaseline(
        questions.filter((q) => q.split === 'train'),
        questions.filter((q) => q.split === 'test'),
      );
      for (const result of [vqa.byQuestion, vqa.byType]) {
        expect(result.accuracy).toBeGreaterThanOrEqual(0);
        expect(result.accuracy).toBeLessThanOrEqual(1);
        expect(result.total).toBe(questions.filter((q) => q.split === 'test').length);
      }
    });
  });

  it('scores the question-only majority baselines exactly on a toy set', () => {
    const train = [
      { question: 'is there a bag?', answer: 'yes', type: 'exists' },
      { question: 'is there a bag?', answer: 'yes', type: 'exists' },
      { question: 'is there a boot?', answer: 'no', type: 'exists' },
      { question: 'is there a boot?', answer: 'no', type: 'exists' },
      { question: 'is there a boot?', answer: 'no', type: 'exists' },
      { question: 'what is in the top left?', answer: 'seven', type: 'category' },
    ];
    const test = [
      { question: 'is there a bag?', answer: 'yes', type: 'exists' },
      { question: 'is there a boot?', answer: 'yes', type: 'exists' },
      { question: 'is there a dress?', answer: 'no', type: 'exists' }, // unseen text: the type's majority, "no"
      { question: 'what is in the top left?', answer: 'bag', type: 'category' },
    ];
    const result = baselines.questionOnlyBaseline(train, test);
    expect(result.byQuestion.accuracy).toBeCloseTo(2 / 4);
    expect(result.byQuestion.perType).toEqual({ exists: 2 / 3, category: 0 });
    expect(result.byType.accuracy).toBeCloseTo(1 / 4);
    expect(result.byType.perType).toEqual({ exists: 1 / 3, category: 0 });
    expect(result.majority).toEqual({ exists: 'no', category: 'seven' });
    expect(baselines.categoryF1(['bag', 'seven'], ['seven', 'boot', 'bag'])).toBeCloseTo(0.8);
  });
});
