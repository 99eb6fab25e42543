#!/usr/bin/env node
/**
 * Measures every number in the README's results tables.
 *
 *  1. Generates the data (generate-data.mjs skips the work when ./data matches).
 *  2. For each row (text only, metadata only, early, concat, gated, late
 *     fusion) writes a config derived from config.yaml (same data, preprocessing,
 *     head, optimizer, epochs, seed; only the modalities, encoders and fusion
 *     change: ROWS below) and trains it with `polyfuse train`.
 *  3. Predicts the test split and collection2 with `polyfuse predict` and
 *     scores P(spam) with scripts/scores.mjs: accuracy, F1 of spam, ROC-AUC,
 *     average precision.
 *  4. Runs the non-neural baselines (scripts/baselines.mjs) on the same sets.
 * Results go to <out>/results.json and print as markdown tables.
 */
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { readJsonl, scoreSpam } from './scores.mjs';
import { runBaselines } from './baselines.mjs';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(appDir, 'node_modules/@polyfuse/cli/bin/polyfuse.js');
const METADATA = ['meta', 'sender'];

/** Per row: which modalities the model reads, and the model section built from config.yaml's. */
export const ROWS = {
  'text only': { modalities: ['text'], model: (base) => base },
  'metadata only': { modalities: METADATA, model: (base) => base },
  // Early fusion: no per-modality encoder for the metadata (the standardised
  // numbers and the one-hot TLD go in as they are); the text's ids must be
  // embedded first, so it enters as the plain mean of its word embeddings
  // (a linear map of the bag of words). One shared MLP sees them all.
  early: {
    modalities: ['text', ...METADATA],
    model: (base) => ({
      ...base,
      encoders: {
        text: { name: 'text-bag', config: { ...base.encoders.text.config, units: 0 } },
        meta: { name: 'flatten', config: { inputShape: [base.encoders.meta.config.inputSize] } },
        sender: { name: 'flatten', config: { inputShape: [base.encoders.sender.config.inputSize] } },
      },
      fusion: { name: 'early', config: { hiddenUnits: [64] } },
    }),
  },
  concat: { modalities: ['text', ...METADATA], model: (base) => base },
  gated: { modalities: ['text', ...METADATA], model: (base) => ({ ...base, fusion: { name: 'gated', config: { units: 64 } } }) },
  // Late fusion: a classifier per modality (the head's hidden layer), softmax
  // decisions averaged with learned modality weights; the head passes them on.
  late: {
    modalities: ['text', ...METADATA],
    model: (base) => ({
      ...base,
      fusion: { name: 'late', config: { units: 2, hiddenUnits: base.head.config.hiddenUnits, combine: 'learned' } },
      head: { name: 'identity' },
    }),
  },
};

const { values: options } = parseArgs({
  options: {
    data: { type: 'string', default: 'data' },
    out: { type: 'string', default: 'runs/measure' },
    config: { type: 'string', default: 'config.yaml' },
    rows: { type: 'string', default: Object.keys(ROWS).join(',') },
    reuse: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  console.log(`Usage: node scripts/measure.mjs [--data data] [--out runs/measure] [--config config.yaml] [--rows a,b,...] [--reuse]
Trains each README row (${Object.keys(ROWS).join(', ')}) from config.yaml and prints
accuracy, F1 (spam), ROC-AUC and average precision on the test split and on collection2,
with the non-neural baselines. --reuse skips training a row whose run folder already has a model.`);
  process.exit(0);
}
const fail = (message) => {
  console.error(`measure: ${message}`);
  process.exit(2);
};
const rows = options.rows.split(',').map((r) => r.trim()).filter(Boolean);
for (const row of rows) if (!(row in ROWS)) fail(`--rows: unknown row '${row}'; expected some of ${Object.keys(ROWS).join(', ')}.`);
if (rows.length === 0) fail('--rows: name at least one row.');
const dataDir = path.resolve(appDir, options.data);
const outDir = path.resolve(appDir, options.out);
const configFile = path.resolve(appDir, options.config);
if (!existsSync(configFile)) fail(`${configFile} does not exist.`);

const generated = spawnSync(process.execPath, [path.join(appDir, 'scripts/generate-data.mjs'), '--out', dataDir], { stdio: 'inherit' });
if (generated.status !== 0) fail(`generate-data.mjs failed (exit ${generated.status ?? generated.signal}).`);
const manifest = await readJsonl(path.join(dataDir, 'manifest.jsonl'));
const sets = { test: manifest.filter((r) => r.split === 'test'), collection2: await readJsonl(path.join(dataDir, 'collection2.jsonl')) };
await fs.mkdir(outDir, { recursive: true });
for (const [name, set] of Object.entries(sets)) await fs.writeFile(path.join(outDir, `${name}.jsonl`), set.map((r) => JSON.stringify(r)).join('\n') + '\n');

const base = YAML.parse(await fs.readFile(configFile, 'utf8'));
const results = { measuredAt: new Date().toISOString(), machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os.loadavg()[0].toFixed(2)} at start`, config: path.relative(appDir, configFile), rows: {} };

function cliRun(args) {
  const run = spawnSync(process.execPath, [cli, ...args], { cwd: appDir, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (run.status !== 0) fail(`polyfuse ${args.join(' ')} failed (exit ${run.status ?? run.signal}):\n${run.stderr}`);
  return run;
}

for (const row of rows) {
  const spec = ROWS[row];
  const runDir = path.join(outDir, row.replace(/\s+/g, '-'));
  const config = structuredClone(base);
  config.name = `spam-${row.replace(/\s+/g, '-')}`;
  config.data.manifest = path.join(dataDir, 'manifest.jsonl');
  config.data.modalities = Object.fromEntries(spec.modalities.map((m) => [m, base.data.modalities[m]]));
  const model = spec.model(structuredClone(base.model));
  model.encoders = Object.fromEntries(spec.modalities.map((m) => [m, model.encoders[m]]));
  config.model = model;
  if (spec.modalities.length < 2) config.evaluation = { contribution: false, robustness: [] };
  await fs.mkdir(runDir, { recursive: true });
  const rowConfig = path.join(runDir, 'row-config.yaml');
  await fs.writeFile(rowConfig, `# scripts/measure.mjs row '${row}', derived from ${path.relative(appDir, configFile)}\n${YAML.stringify(config)}`);
  if (!(options.reuse && existsSync(path.join(runDir, 'model', 'model.json')))) {
    console.error(`measure: training '${row}' (${spec.modalities.join(' + ')})`);
    cliRun(['train', '--config', rowConfig, '--out', runDir, '--quiet']);
  }
  const log = (await fs.readFile(path.join(runDir, 'logs', 'train.jsonl'), 'utf8')).split('\n').filter((l) => l.includes('"type":"epoch"')).map((l) => JSON.parse(l));
  results.rows[row] = { modalities: spec.modalities, epochs: log.length, trainSeconds: Math.round(log.reduce((sum, epoch) => sum + (epoch.seconds ?? 0), 0)), sets: {} };
  // polyfuse train's own test evaluation: the first metric (macro F1) with each modality masked for every test email.
  const evaluation = JSON.parse(await fs.readFile(path.join(runDir, 'evaluation.json'), 'utf8'));
  if (evaluation.contribution) results.rows[row].contribution = evaluation.contribution;
  for (const [name] of Object.entries(sets)) {
    const predictionsFile = path.join(runDir, `predictions-${name}.json`);
    cliRun(['predict', runDir, '--manifest', path.join(outDir, `${name}.jsonl`), '--output', predictionsFile, '--format', 'json']);
    const predictions = JSON.parse(await fs.readFile(predictionsFile, 'utf8'));
    const byId = new Map(predictions.map((p) => [p.id, p.probabilities.spam]));
    const set = sets[name];
    const missing = set.filter((r) => !byId.has(r.id));
    if (missing.length > 0) fail(`'${row}': no prediction for ${missing.length} ${name} emails (first: ${missing[0].id}).`);
    results.rows[row].sets[name] = scoreSpam(set.map((r) => r.label), set.map((r) => byId.get(r.id)));
  }
  const t = results.rows[row].sets.test;
  console.error(`measure: '${row}': test accuracy ${t.accuracy.toFixed(3)}, F1 ${t.f1.toFixed(3)}, ROC-AUC ${t.rocAuc.toFixed(3)}, AP ${t.averagePrecision.toFixed(3)} (${results.rows[row].epochs} epochs, ${results.rows[row].trainSeconds} s)`);
  await fs.writeFile(path.join(outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
}

results.baselines = runBaselines(manifest.filter((r) => r.split === 'train'), sets);
await fs.writeFile(path.join(outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');

const f = (x) => x.toFixed(3);
for (const name of Object.keys(sets)) {
  const set = sets[name];
  console.log(`\n${name}: ${set.length} emails, ${set.filter((r) => r.label === 'spam').length} spam\n| model | modalities | accuracy | F1 (spam) | ROC-AUC | average precision |\n| --- | --- | --- | --- | --- | --- |`);
  for (const [baseline, r] of Object.entries(results.baselines)) console.log(`| ${baseline} (no network) | | ${f(r[name].accuracy)} | ${f(r[name].f1)} | ${f(r[name].rocAuc)} | ${f(r[name].averagePrecision)} |`);
  for (const [row, r] of Object.entries(results.rows)) {
    const s = r.sets[name];
    console.log(`| ${row} | ${r.modalities.join(' + ')} | ${f(s.accuracy)} | ${f(s.f1)} | ${f(s.rocAuc)} | ${f(s.averagePrecision)} |`);
  }
}
const withContribution = Object.entries(results.rows).filter(([, r]) => r.contribution);
if (withContribution.length > 0) {
  console.log(`\nModality contribution on test (polyfuse train's evaluation.json: macro F1 with every modality, and with one masked for every email)\n| model | all | ${['text', ...METADATA].map((m) => `without ${m}`).join(' | ')} |\n| --- | --- | --- | --- | --- |`);
  for (const [row, r] of withContribution) {
    const c = r.contribution.modalities;
    console.log(`| ${row} | ${f(Object.values(c)[0].full)} | ${['text', ...METADATA].map((m) => (c[m] ? f(c[m].without) : '–')).join(' | ')} |`);
  }
}
console.log(`\nMeasured ${results.measuredAt} on ${results.machine}; epochs / training seconds per row: ${Object.entries(results.rows).map(([row, r]) => `${row} ${r.epochs} / ${r.trainSeconds}`).join(', ')}.`);
