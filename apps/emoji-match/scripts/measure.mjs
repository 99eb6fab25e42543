#!/usr/bin/env node
/**
 * Measures every number in the README's results tables.
 *
 *  1. Trains config.yaml with `polyfuse train` (unless `--reuse` finds the run).
 *  2. Embeds every test row's image and text with the trained dual encoder and
 *     scores retrieval with the baselines' protocol (scripts/baselines.mjs
 *     `recallAtK`: every row is a query, every row of the set a candidate, a
 *     hit when a top-K candidate is the same emoji), on each test subset: the
 *     unseen style with seen emoji, the unseen style with unseen emoji, and
 *     unseen emoji in the training styles.
 *  3. Zero-shot classification of emoji groups by text prompts: each test
 *     image gets the group whose prompt ("food and drink") embeds closest.
 *  4. Runs the no-learning baselines (chance, bag of words + pixels) on the
 *     same subsets.
 * Results go to runs/results.json and print as markdown.
 */
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recallAtK, transpose } from './baselines.mjs';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(appDir, 'node_modules/@polyfuse/cli/bin/polyfuse.js');
const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: 'data' },
    run: { type: 'string', default: 'runs/match' },
    config: { type: 'string', default: 'config.yaml' },
    reuse: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`Usage: node scripts/measure.mjs [--data data] [--run runs/match] [--config config.yaml] [--reuse]
Trains the dual encoder and prints the README's retrieval and zero-shot tables (test split: a style never seen in training).`);
  process.exit(0);
}
const dataDir = path.resolve(appDir, args.data);
const runDir = path.resolve(appDir, args.run);
if (!existsSync(path.join(dataDir, 'pairs.jsonl'))) {
  console.error(`No emoji data in ${dataDir}: run 'pnpm data' (node scripts/generate-data.mjs) first.`);
  process.exit(2);
}
if (!(args.reuse && existsSync(path.join(runDir, 'evaluation.json')))) {
  execFileSync(process.execPath, [cli, 'train', '--config', path.resolve(appDir, args.config), '--out', runDir], { cwd: appDir, stdio: 'inherit' });
}

const { initBackend, tf } = await import('@polyfuse/core');
const { openRun } = await import('@polyfuse/cli');
const { datasetFromSamples } = await import('@polyfuse/data/node');
await initBackend({ log: null });
const run = await openRun(runDir);
const rows = (await fs.readFile(path.join(dataDir, 'pairs.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
const groups = JSON.parse(await fs.readFile(path.join(dataDir, 'groups.json'), 'utf8'));

/** L2-normalised `embedding_image` and `embedding_text` of samples (modalities left out are masked). */
async function embed(samples) {
  const { split: _split, labels: _labels, ...spec } = run.preprocessing.spec;
  const dataset = await datasetFromSamples({ ...spec, split: { fractions: { validation: 0, test: 0 } }, onBadSample: 'error' }, samples, { state: run.preprocessing.state, withLabels: false, baseDir: dataDir });
  const out = { image: [], text: [] };
  for (const split of ['train', 'validation', 'test']) {
    if (dataset.splits[split].length === 0) continue;
    for await (const batch of dataset.loader(split, { batchSize: 256 }).batches(0)) {
      const outputs = run.model.call(batch);
      for (const modality of ['image', 'text']) {
        const normalised = tf.tidy(() => {
          const e = outputs[`embedding_${modality}`];
          return tf.div(e, tf.maximum(tf.norm(e, 'euclidean', -1, true), 1e-12)).arraySync();
        });
        out[modality].push(...normalised);
      }
      tf.dispose([...Object.values(outputs), ...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
    }
  }
  return out;
}

const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);
const test = rows.filter((r) => r.split === 'test');
const subsets = {
  'unseen style, seen emoji': test.filter((r) => r.emojiSeen && !r.styleSeen),
  'unseen style, unseen emoji': test.filter((r) => !r.emojiSeen && !r.styleSeen),
  'seen styles, unseen emoji': test.filter((r) => !r.emojiSeen && r.styleSeen),
  'all test rows': test,
};
const embedded = await embed(test.map((r) => ({ id: r.id, image: r.image, text: r.text })));
const byId = new Map(test.map((r, i) => [r.id, i]));
const results = { measuredAt: new Date().toISOString(), run: path.relative(appDir, runDir), retrieval: {}, zeroShot: {} };
for (const [name, set] of Object.entries(subsets)) {
  const index = set.map((r) => byId.get(r.id));
  const scores = index.map((t) => index.map((i) => dot(embedded.text[t], embedded.image[i])));
  const emoji = set.map((r) => r.emoji);
  results.retrieval[name] = { rows: set.length, emoji: new Set(emoji).size, textToImage: recallAtK(scores, emoji, emoji), imageToText: recallAtK(transpose(scores), emoji, emoji) };
}

// Zero-shot: the nearest group prompt of each image.
const prompts = await embed(groups.map((g) => ({ id: `prompt-${g.key}`, text: g.prompt })));
const zeroShot = (set) => {
  let correct = 0;
  for (const r of set) {
    const image = embedded.image[byId.get(r.id)];
    const scores = prompts.text.map((p) => dot(p, image));
    if (groups[scores.indexOf(Math.max(...scores))].key === r.group) correct++;
  }
  return correct / set.length;
};
const counts = {};
for (const r of rows.filter((r) => r.split === 'train')) counts[r.group] = (counts[r.group] ?? 0) + 1;
const majority = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
for (const [name, set] of Object.entries(subsets)) {
  results.zeroShot[name] = { accuracy: zeroShot(set), chance: 1 / groups.length, majorityGroup: set.filter((r) => r.group === majority).length / set.length };
}

// The no-learning baselines on the same subsets, same protocol.
const baselines = JSON.parse(execFileSync(process.execPath, [path.join(appDir, 'scripts/baselines.mjs'), '--data', dataDir, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
const baselineName = { 'unseen style, seen emoji': 'test: seen emoji, unseen style', 'unseen style, unseen emoji': 'test: unseen emoji, unseen style', 'seen styles, unseen emoji': 'test: unseen emoji, seen styles', 'all test rows': 'test (all)' };
results.baselines = baselines;

const pct = (v) => `${(100 * v).toFixed(1)}%`;
console.log(`\n| test subset (rows) | model | text→image R@1 / R@5 / R@10 | image→text R@1 / R@5 / R@10 |\n| --- | --- | --- | --- |`);
for (const [name, r] of Object.entries(results.retrieval)) {
  const b = baselines.sets[baselineName[name]];
  const three = (m) => `${pct(m['recall@1'])} / ${pct(m['recall@5'])} / ${pct(m['recall@10'])}`;
  console.log(`| ${name} (${r.rows}) | chance | ${three(b.chance)} | ${three(b.chance)} |`);
  console.log(`| | bag of words + pixels | ${three(b.bowPixelRidge.textToImage)} | ${three(b.bowPixelRidge.imageToText)} |`);
  console.log(`| | **dual encoder (CLIP loss)** | ${three(r.textToImage)} | ${three(r.imageToText)} |`);
}
console.log(`\n| zero-shot emoji group (${groups.length} prompts) | dual encoder | majority group | chance |\n| --- | --- | --- | --- |`);
for (const [name, z] of Object.entries(results.zeroShot)) console.log(`| ${name} | ${pct(z.accuracy)} | ${pct(z.majorityGroup)} | ${pct(z.chance)} |`);
await fs.writeFile(path.join(path.dirname(runDir), 'results.json'), JSON.stringify(results, null, 2));
run.model.dispose();
