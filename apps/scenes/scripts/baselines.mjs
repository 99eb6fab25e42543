#!/usr/bin/env node
/**
 * Reference baselines for the scenes dataset, as pure functions (no TF.js):
 *
 *  - nearestNeighbourCaptions: each query image gets the captions of the
 *    training image at the smallest L2 distance (on downsampled pixels);
 *  - questionOnlyBaseline: the majority training answer per question text
 *    (falling back to the type's majority) and per question type, scored as
 *    accuracy overall and per type.
 *
 * Run directly (`node scripts/baselines.mjs --data data`) it prints both on
 * the test split and writes the nearest-neighbour captions to
 * <data>/baselines/nn-captions.jsonl (score them with @polyfuse/metrics).
 */
import { parseArgs } from 'node:util';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Parses JSONL text into rows. */
export function parseJsonl(text) {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}

/** Reads a PNG as grayscale values in 0..1 (the first channel). */
export function readGrayPng(file) {
  const png = PNG.sync.read(readFileSync(file));
  const pixels = new Float32Array(png.width * png.height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = png.data[i * 4] / 255;
  return { width: png.width, height: png.height, pixels };
}

/** Average-pools a width×height image by `factor` in both directions. */
export function downsample(pixels, width, height, factor) {
  const w = Math.floor(width / factor);
  const h = Math.floor(height / factor);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h * factor; y++)
    for (let x = 0; x < w * factor; x++) out[Math.floor(y / factor) * w + Math.floor(x / factor)] += pixels[y * width + x];
  const area = factor * factor;
  for (let i = 0; i < out.length; i++) out[i] /= area;
  return out;
}

export function squaredDistance(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  return sum;
}

/**
 * For each query `{ id, pixels }`, the training item `{ id, pixels, captions }`
 * at the smallest L2 distance (first one on ties): `{ id, neighbour, distance, captions }`.
 */
export function nearestNeighbourCaptions(train, queries) {
  if (!train.length) throw new Error('nearestNeighbourCaptions needs at least one training item');
  return queries.map((query) => {
    let best = 0;
    let bestDistance = Infinity;
    for (let i = 0; i < train.length; i++) {
      const distance = squaredDistance(query.pixels, train[i].pixels);
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    }
    return { id: query.id, neighbour: train[best].id, distance: Math.sqrt(bestDistance), captions: train[best].captions };
  });
}

/** The most frequent value of `valueOf(row)` for each `keyOf(row)` (ties: the first in sorted order). */
export function majorityBy(rows, keyOf, valueOf) {
  const counts = new Map();
  for (const row of rows) {
    const key = keyOf(row);
    if (!counts.has(key)) counts.set(key, new Map());
    const byValue = counts.get(key);
    byValue.set(valueOf(row), (byValue.get(valueOf(row)) ?? 0) + 1);
  }
  const majority = new Map();
  for (const [key, byValue] of counts) {
    const [value] = [...byValue].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0];
    majority.set(key, value);
  }
  return majority;
}

/** Accuracy of `predict(row)` against `row.answer`, overall and per `row.type`. */
export function accuracy(rows, predict) {
  const perType = {};
  let correct = 0;
  for (const row of rows) {
    perType[row.type] ??= { correct: 0, total: 0 };
    const hit = predict(row) === row.answer;
    perType[row.type].total++;
    if (hit) {
      perType[row.type].correct++;
      correct++;
    }
  }
  return {
    accuracy: rows.length ? correct / rows.length : 0,
    total: rows.length,
    perType: Object.fromEntries(Object.entries(perType).map(([type, c]) => [type, c.correct / c.total])),
  };
}

/**
 * Question-only majority baselines fitted on `train` rows `{ question, answer, type }`
 * and scored on `test` rows: `byQuestion` answers each question text with its
 * majority training answer (a text unseen in training gets its type's
 * majority), `byType` answers every question of a type with the type's majority.
 */
export function questionOnlyBaseline(train, test) {
  const byType = majorityBy(train, (r) => r.type, (r) => r.answer);
  const byQuestion = majorityBy(train, (r) => r.question, (r) => r.answer);
  return {
    byQuestion: accuracy(test, (r) => byQuestion.get(r.question) ?? byType.get(r.type)),
    byType: accuracy(test, (r) => byType.get(r.type)),
    majority: Object.fromEntries(byType),
  };
}

/** F1 between two multisets of category names (how well a retrieved scene's objects match). */
export function categoryF1(predicted, actual) {
  const remaining = [...actual];
  let hits = 0;
  for (const c of predicted) {
    const at = remaining.indexOf(c);
    if (at >= 0) {
      hits++;
      remaining.splice(at, 1);
    }
  }
  return predicted.length + actual.length ? (2 * hits) / (predicted.length + actual.length) : 1;
}

async function main() {
  const { values: options } = parseArgs({
    options: {
      data: { type: 'string', default: path.join(appDir, 'data') },
      split: { type: 'string', default: 'test' },
      factor: { type: 'string', default: '4' },
      help: { type: 'boolean', default: false },
    },
  });
  if (options.help) {
    console.log(`Usage: node scripts/baselines.mjs [--data DIR] [--split test|val] [--factor 4]
Prints the question-only VQA baselines and the nearest-neighbour captioning
baseline (pixels average-pooled by --factor) on the split, and writes
<data>/baselines/nn-captions.jsonl.`);
    return;
  }
  const data = path.resolve(options.data);
  const factor = Number(options.factor);
  const scenes = parseJsonl(await fs.readFile(path.join(data, 'captions.jsonl'), 'utf8'));
  const questions = parseJsonl(await fs.readFile(path.join(data, 'vqa.jsonl'), 'utf8'));
  const vqa = questionOnlyBaseline(
    questions.filter((q) => q.split === 'train'),
    questions.filter((q) => q.split === options.split),
  );
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  const line = (name, result) =>
    console.log(`${name}: ${pct(result.accuracy)} (${Object.entries(result.perType).map(([t, a]) => `${t} ${pct(a)}`).join(', ')})`);
  line(`question-only, majority per question text (${options.split})`, vqa.byQuestion);
  line(`question-only, majority per question type (${options.split})`, vqa.byType);

  const load = (scene) => {
    const { width, height, pixels } = readGrayPng(path.join(data, scene.image));
    return { id: scene.id, pixels: downsample(pixels, width, height, factor), captions: scene.captions, objects: scene.objects };
  };
  const train = scenes.filter((s) => s.split === 'train').map(load);
  const queries = scenes.filter((s) => s.split === options.split).map(load);
  const results = nearestNeighbourCaptions(train, queries);
  const byId = new Map(train.map((t) => [t.id, t]));
  let f1 = 0;
  results.forEach((r, i) => {
    f1 += categoryF1(byId.get(r.neighbour).objects.map((o) => o.category), queries[i].objects.map((o) => o.category));
  });
  console.log(`nearest-neighbour captions (${options.split}): mean category F1 of the retrieved scene ${pct(f1 / Math.max(1, results.length))}`);
  await fs.mkdir(path.join(data, 'baselines'), { recursive: true });
  const file = path.join(data, 'baselines', 'nn-captions.jsonl');
  await fs.writeFile(`${file}.tmp`, results.map((r) => JSON.stringify(r)).join('\n') + '\n');
  await fs.rename(`${file}.tmp`, file);
  console.log(`wrote ${file}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`scenes baselines: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
