#!/usr/bin/env node
/**
 * Measures every number in the README's results tables, on the test split
 * (object combinations never seen in training):
 *
 *  - captioning: the trained decoder's BLEU-4 / CIDEr-D / ROUGE-L, greedy and
 *    beam 3 (from `polyfuse train`'s evaluation), against the
 *    nearest-neighbour-caption baseline scored with the same metrics;
 *  - question answering: accuracy overall and per question type of the fused
 *    model, an image-only and a question-only model (the same config with one
 *    modality removed), and the question-only majority baseline.
 *
 * Every model is trained with `polyfuse train` and scored with `polyfuse eval`,
 * exactly as a user would run them. `--reuse` keeps run folders that already
 * have an evaluation. Results go to runs/results.json and print as markdown.
 */
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { downsample, nearestNeighbourCaptions, parseJsonl, questionOnlyBaseline, readGrayPng } from './baselines.mjs';
import { scoreCaptions } from './scoreCaptions.mjs';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(appDir, 'node_modules/@polyfuse/cli/bin/polyfuse.js');

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: 'captioning,vqa' },
    data: { type: 'string', default: 'data' },
    runs: { type: 'string', default: 'runs' },
    epochs: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`Usage: node scripts/measure.mjs [--only captioning,vqa] [--data data] [--runs runs] [--epochs N] [--reuse]

Trains and evaluates the scenes models with the polyfuse CLI and prints the README's results tables.
  --only     which tables: captioning, vqa (default both)
  --data     the generated data folder (default data; make it with pnpm data)
  --runs     where run folders go (default runs)
  --epochs   override training.epochs of every config (for a quick check)
  --reuse    keep run folders that already hold an evaluation`);
  process.exit(0);
}
const only = new Set(args.only.split(','));
const dataDir = path.resolve(appDir, args.data);
const runsDir = path.resolve(appDir, args.runs);
if (!existsSync(path.join(dataDir, 'captions.jsonl'))) {
  console.error(`No scenes data in ${dataDir}: run 'pnpm data' (node scripts/generate-data.mjs) first.`);
  process.exit(2);
}
await fs.mkdir(runsDir, { recursive: true });

/** Runs the polyfuse CLI, printing its output; stops the script when it fails. */
function polyfuse(...argv) {
  execFileSync(process.execPath, [cli, ...argv], { cwd: appDir, stdio: 'inherit' });
}

/** Trains `config` (an object, written next to the run) into runs/<name> unless reused; returns its evaluation. */
async function trainRun(name, config) {
  const out = path.join(runsDir, name);
  const evaluation = path.join(out, 'evaluation.json');
  if (!(args.reuse && existsSync(evaluation))) {
    if (args.epochs) config.training = { ...config.training, epochs: Number(args.epochs) };
    // Configs resolve paths against their own folder: keep the generated config beside the app's configs.
    config.data = { ...config.data, manifest: path.relative(appDir, path.join(dataDir, path.basename(config.data.manifest))) };
    const file = path.join(appDir, `.measure-${name}.yaml`);
    await fs.writeFile(file, stringify(config));
    const started = Date.now();
    try {
      polyfuse('train', '--config', file, '--out', out);
    } finally {
      await fs.rm(file, { force: true });
    }
    await fs.writeFile(path.join(out, 'measure-seconds.txt'), `${(Date.now() - started) / 1000}\n`);
  }
  return JSON.parse(await fs.readFile(evaluation, 'utf8'));
}

const readConfig = async (file) => parse(await fs.readFile(path.join(appDir, file), 'utf8'));
const results = { measuredAt: new Date().toISOString() };
const pct = (v) => `${(100 * v).toFixed(1)}%`;

if (only.has('captioning')) {
  const evaluation = await trainRun('captioning', await readConfig('captioning.yaml'));
  const task = evaluation.tasks.caption;
  const rows = parseJsonl(await fs.readFile(path.join(dataDir, 'captions.jsonl'), 'utf8'));
  const pixels = (row) => {
    const image = readGrayPng(path.join(dataDir, row.image));
    return downsample(image.pixels, image.width, image.height, 4);
  };
  const trainRows = rows.filter((r) => r.split === 'train').map((r) => ({ id: r.id, captions: r.captions, pixels: pixels(r) }));
  const test = rows.filter((r) => r.split === 'test');
  const neighbours = nearestNeighbourCaptions(trainRows, test.map((r) => ({ id: r.id, pixels: pixels(r) })));
  const baseline = await scoreCaptions(neighbours.map((n) => n.captions[0]), test.map((r) => r.captions));
  results.captioning = { test: test.length, greedy: task.metrics, beam: task.beam, nearestNeighbour: baseline, examples: task.examples.slice(0, 6) };
  const get = (m, name) => m[Object.keys(m).find((k) => k.startsWith(name))];
  console.log(`\n| captioning (test: ${test.length} scenes, unseen object pairs) | BLEU-4 | CIDEr-D | ROUGE-L |\n| --- | --- | --- | --- |`);
  console.log(`| nearest-neighbour caption (pixels) | ${baseline.bleu.toFixed(1)} | ${baseline.cider.toFixed(3)} | ${baseline.rougeL.toFixed(3)} |`);
  console.log(`| transformer decoder, greedy | ${get(task.metrics, 'bleu').toFixed(1)} | ${get(task.metrics, 'cider').toFixed(3)} | ${get(task.metrics, 'rouge_l').toFixed(3)} |`);
  if (task.beam) console.log(`| transformer decoder, beam ${task.beam.width} | ${get(task.beam.metrics, 'bleu').toFixed(1)} | ${get(task.beam.metrics, 'cider').toFixed(3)} | ${get(task.beam.metrics, 'rouge_l').toFixed(3)} |`);
}

if (only.has('vqa')) {
  const base = await readConfig('vqa.yaml');
  const rows = parseJsonl(await fs.readFile(path.join(dataDir, 'vqa.jsonl'), 'utf8'));
  const test = rows.filter((r) => r.split === 'test');
  const types = [...new Set(test.map((r) => r.type))].sort();
  // One manifest per question type, so `polyfuse eval --manifest` scores each type alone.
  for (const type of types) {
    await fs.writeFile(path.join(dataDir, `vqa-test-${type}.jsonl`), test.filter((r) => r.type === type).map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
  const without = (modality) => {
    const config = structuredClone(base);
    delete config.data.modalities[modality];
    delete config.model.encoders[modality];
    delete config.model.fusion; // one modality: the head reads its embedding directly
    const kept = Object.keys(config.model.encoders)[0];
    config.model.heads.answer.input = kept;
    config.name = `scenes-vqa-${kept}-only`;
    return config;
  };
  const variants = { fused: structuredClone(base), 'image only': without('question'), 'question only': without('image') };
  results.vqa = { test: test.length, models: {} };
  for (const [label, config] of Object.entries(variants)) {
    const name = `vqa-${label.replace(' ', '-')}`;
    const evaluation = await trainRun(name, config);
    const perType = {};
    for (const type of types) {
      const out = path.join(runsDir, name, `eval-${type}.json`);
      if (!(args.reuse && existsSync(out))) polyfuse('eval', path.join(runsDir, name), '--manifest', path.join(dataDir, `vqa-test-${type}.jsonl`), '--output', out);
      const scored = JSON.parse(await fs.readFile(out, 'utf8'));
      perType[type] = scored.metrics.accuracy_logits_answer;
    }
    results.vqa.models[label] = { accuracy: evaluation.metrics.accuracy_logits_answer, perType };
  }
  const baseline = questionOnlyBaseline(rows.filter((r) => r.split === 'train'), test);
  results.vqa.models['majority answer per question (no learning)'] = { accuracy: baseline.byQuestion.accuracy, perType: baseline.byQuestion.perType };
  console.log(`\n| question answering (test: ${test.length} questions) | all | ${types.join(' | ')} |\n| --- | --- | ${types.map(() => '---').join(' | ')} |`);
  for (const [label, m] of Object.entries(results.vqa.models)) console.log(`| ${label} | ${pct(m.accuracy)} | ${types.map((t) => pct(m.perType[t])).join(' | ')} |`);
}

await fs.writeFile(path.join(runsDir, 'results.json'), JSON.stringify(results, null, 2));
console.log(`\nWrote ${path.join(runsDir, 'results.json')}`);
