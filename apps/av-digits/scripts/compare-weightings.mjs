#!/usr/bin/env node
/**
 * Compares loss-weighting strategies on multi-task av-digits: the model of
 * multitask.yaml (digit and accent classification, speaking-speed
 * regression, three named heads on one fused embedding) is trained once per
 * strategy and seed with the same data, epochs and everything else, and the
 * test metric of each task, the final task weights and the training time are
 * tabulated.
 *
 * "static (tuned)" weights come from a small search on the validation split
 * (first seed only): digit weight 1, accent and speed weights each in
 * {0.5, 2} (4 trainings), plus the equal-weights run; the candidate with the
 * best mean of validation digit accuracy, accent accuracy and speed R² (each
 * at the checkpoint the run keeps, i.e. its best validation digit accuracy)
 * wins. `--tuned-weights digit=1,accent=2,speed=0.5` skips the search.
 *
 * OGM-GE balances the two modalities of one classification task, from each
 * modality's confidence in the true class: its runs add a linear unimodal
 * head per modality on the digit (`auxiliaryHeads`, outputs logits_image and
 * logits_audio) with cross-entropy terms on them; the digit term is the first
 * term, so the confidences are on the digit. "static (equal) + aux" is the
 * same model with equal static weights: the baseline OGM-GE changes.
 *
 * Results go to <out>/results.{json,md} after every training (so an
 * interrupted comparison keeps what it finished), and into this app's
 * README between the `weighting-results` markers unless --no-readme.
 *
 *   node scripts/compare-weightings.mjs [--data DIR | --max-per-digit N] [--epochs E]
 *       [--seeds 1,2] [--strategies a,b,...] [--tuned-weights t=w,...] [--out DIR] [--no-readme]
 */
import { parseArgs } from 'node:util';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { loadConfig, trainRun } from '@polyfuse/cli';
import { initBackend, tf } from '@polyfuse/core';
import { comparisonDataset, timingProgress } from './lib/comparisonRuns.mjs';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const started = Date.now();
const TASKS = ['digit', 'accent', 'speed'];
const AUXILIARY_TERMS = {
  image: { loss: 'cross-entropy', output: 'logits_image', target: 'digit' },
  audio: { loss: 'cross-entropy', output: 'logits_audio', target: 'digit' },
};

/** Each row: its label, the weighting component, and whether the model gets unimodal auxiliary heads. */
const STRATEGIES = {
  'static-equal': { label: 'static (equal)', weighting: () => ({ name: 'static' }) },
  'static-tuned': { label: 'static (tuned)', weighting: (tuned) => ({ name: 'static', config: { weights: tuned } }) },
  uncertainty: { label: 'uncertainty', weighting: () => ({ name: 'uncertainty', config: { terms: TASKS } }) },
  dwa: { label: 'DWA', weighting: () => ({ name: 'dwa', config: { temperature: 2 } }) },
  gradnorm: { label: 'GradNorm', weighting: () => ({ name: 'gradnorm', config: { alpha: 1.5, terms: TASKS } }) },
  pcgrad: { label: 'PCGrad', weighting: () => ({ name: 'pcgrad' }) },
  mgda: { label: 'MGDA', weighting: () => ({ name: 'mgda' }) },
  cagrad: { label: 'CAGrad', weighting: () => ({ name: 'cagrad', config: { c: 0.4 } }) },
  'static-aux': { label: 'static (equal) + aux', auxiliary: true, weighting: () => ({ name: 'static' }) },
  'ogm-ge': { label: 'OGM-GE + aux', auxiliary: true, weighting: () => ({ name: 'ogm-ge', config: { alpha: 0.1 } }) },
};
/** The tuned-weights search grid: accent and speed weights, the digit's stays 1. */
const SEARCH = [0.5, 2].flatMap((accent) => [0.5, 2].map((speed) => ({ digit: 1, accent, speed })));

const { values: options } = parseArgs({
  options: {
    config: { type: 'string', default: path.join(appDir, 'multitask.yaml') },
    data: { type: 'string' },
    'max-per-digit': { type: 'string', default: '150' },
    epochs: { type: 'string', default: '8' },
    seeds: { type: 'string', default: '1' },
    strategies: { type: 'string', default: Object.keys(STRATEGIES).join(',') },
    'tuned-weights': { type: 'string' },
    combine: { type: 'string' },
    out: { type: 'string', default: path.join(appDir, 'runs', 'weightings') },
    readme: { type: 'string', default: path.join(appDir, 'README.md') },
    'no-readme': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (options.help) {
  console.log(`Usage: node scripts/compare-weightings.mjs [options]
  --data DIR             an existing generate-data.mjs folder (with accent and wordsPerMinute fields)
  --max-per-digit N      without --data: generate <out>/data with this many images per digit (default 150)
  --epochs E             training epochs for every run (default 8)
  --seeds a,b            training seeds; every strategy is trained once per seed (default 1)
  --strategies a,b,...   rows to train (default ${Object.keys(STRATEGIES).join(',')})
  --tuned-weights t=w,.. static (tuned) weights, e.g. digit=1,accent=2,speed=0.5 (default: search on validation)
  --combine a.json,b.json  train nothing: print one table from the results.json of earlier comparisons (e.g. one
                         per seed); a later file's row replaces an earlier one of the same strategy and seed
  --config FILE          the multi-task config (default multitask.yaml)
  --out DIR              runs and results (default runs/weightings)
  --no-readme            do not write the table into README.md`);
  process.exit(0);
}

const fail = (message) => {
  console.error(`compare-weightings: ${message}`);
  process.exit(2);
};
const epochs = Number(options.epochs);
if (!Number.isInteger(epochs) || epochs < 1) fail(`--epochs must be an integer >= 1, got '${options.epochs}'.`);
const seeds = options.seeds.split(',').map((s) => Number(s.trim()));
if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s))) fail(`--seeds must be integers separated by commas, got '${options.seeds}'.`);
const strategies = options.strategies.split(',').map((s) => s.trim()).filter(Boolean);
for (const s of strategies) if (!(s in STRATEGIES)) fail(`--strategies: unknown strategy '${s}'; expected some of ${Object.keys(STRATEGIES).join(', ')}.`);
if (strategies.length === 0) fail('--strategies: name at least one strategy.');

if (options.combine) {
  // Rows and search of earlier runs (e.g. one process per seed), tabulated together.
  const parts = await Promise.all(options.combine.split(',').map(async (file) => JSON.parse(await fs.readFile(file.trim(), 'utf8'))));
  const combinedSeeds = [...new Set(parts.flatMap((p) => p.seeds))];
  const combinedStrategies = Object.keys(STRATEGIES).filter((s) => parts.some((p) => p.rows.some((r) => r.strategy === s)));
  // A later file's row replaces an earlier row of the same strategy and seed (a rerun).
  const bySeed = new Map(parts.flatMap((p) => p.rows).map((r) => [`${r.strategy}:${r.seed}`, r]));
  const rows = [...bySeed.values()].sort((a, b) => a.seed - b.seed);
  const combined = { rows, search: parts.flatMap((p) => p.search), seeds: combinedSeeds, strategies: combinedStrategies };
  console.log(`Combined from ${parts.map((p) => `\`${p.command}\` (${p.minutes} min)`).join(' and ')}.\n`);
  console.log(table(combined));
  if (combined.search.length > 0) console.log(`\n${searchTable(combined.search)}`);
  process.exit(0);
}

const outDir = path.resolve(options.out);
const command = `node apps/av-digits/scripts/compare-weightings.mjs ${process.argv.slice(2).join(' ')}`.trim();

// 1. The dataset: an existing folder, or one generated into <out>/data.
const { dataDir, manifest } = comparisonDataset({ data: options.data, outDir, maxPerDigit: options['max-per-digit'], fail });
const splitSizes = {};
for (const line of (await fs.readFile(manifest, 'utf8')).split('\n')) {
  if (!line.trim()) continue;
  const sample = JSON.parse(line);
  if (sample.accent === undefined || sample.wordsPerMinute === undefined) {
    fail(`${manifest} has no accent / wordsPerMinute fields: regenerate it with the current generate-data.mjs.`);
  }
  splitSizes[sample.split] = (splitSizes[sample.split] ?? 0) + 1;
}
const dataSettings = existsSync(path.join(dataDir, 'dataset.json')) ? JSON.parse(await fs.readFile(path.join(dataDir, 'dataset.json'), 'utf8')).settings : {};

await initBackend({ log: null });
const base = YAML.parse(await fs.readFile(options.config, 'utf8'));

/** multitask.yaml with this weighting, seed, dataset and epochs (and the auxiliary heads when asked). */
function runConfig(name, weighting, seed, auxiliary) {
  const config = structuredClone(base);
  config.name = `av-digits-${name}`;
  config.data.manifest = manifest;
  config.loss.weighting = weighting;
  if (auxiliary) {
    config.model.auxiliaryHeads = { name: 'linear', config: { units: 10 } };
    config.loss.terms = { ...config.loss.terms, ...AUXILIARY_TERMS };
  }
  config.training = { ...config.training, epochs, seed, earlyStoppingPatience: 0 };
  config.evaluation = { contribution: false, robustness: [] };
  return config;
}


/** Trains one run; returns its test metrics, the validation metrics of the kept checkpoint, the last epoch's mean weights and times. */
async function train(name, config) {
  const runDir = path.join(outDir, 'runs', name);
  const configFile = path.join(outDir, 'configs', `${name}.yaml`);
  await fs.mkdir(path.dirname(configFile), { recursive: true });
  await fs.writeFile(configFile, YAML.stringify(config));
  console.error(`compare-weightings: training ${name}`);
  const row = { name };
  const runStarted = performance.now();
  try {
    const progress = timingProgress(name);
    const result = await trainRun(await loadConfig(configFile), { outDir: runDir, progress });
    const evaluation = result.evaluation ?? JSON.parse(await fs.readFile(path.join(runDir, 'evaluation.json'), 'utf8'));
    const records = (await fs.readFile(path.join(runDir, 'logs', 'train.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const epochRecords = records.filter((r) => r.type === 'epoch');
    const best = epochRecords.reduce((a, b) => ((b['val.accuracy_logits_digit'] ?? -1) > (a['val.accuracy_logits_digit'] ?? -1) ? b : a));
    const last = epochRecords.at(-1);
    const pick = (record, prefix) => Object.fromEntries(Object.entries(record).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
    Object.assign(row, {
      test: {
        digit: evaluation.metrics.accuracy_logits_digit,
        accent: evaluation.metrics.accuracy_logits_accent,
        speedMae: evaluation.metrics.mae_values_speed,
        speedR2: evaluation.metrics.r2_values_speed,
      },
      validation: {
        epoch: best.epoch + 1,
        digit: best['val.accuracy_logits_digit'],
        accent: best['val.accuracy_logits_accent'],
        speedMae: best['val.mae_values_speed'],
        speedR2: best['val.r2_values_speed'],
      },
      finalWeights: pick(last, 'weight.'),
      epochs: epochRecords.length,
      trainingSeconds: progress.epochSeconds.reduce((a, b) => a + b, 0),
      epochSeconds: progress.epochSeconds,
    });
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    console.error(`compare-weightings: ${name} failed: ${row.error}`);
  }
  row.wallSeconds = (performance.now() - runStarted) / 1000;
  console.error(`compare-weightings: ${name} done in ${row.wallSeconds.toFixed(0)} s: ${JSON.stringify({ test: row.test, weights: row.finalWeights, error: row.error })}`);
  return row;
}

/** The search's criterion: mean of validation digit accuracy, accent accuracy and speed R². */
function validationScore(row) {
  return (row.validation.digit + row.validation.accent + row.validation.speedR2) / 3;
}

const search = [];
const rows = [];
let tuned = null;
await fs.mkdir(outDir, { recursive: true });

if (options['tuned-weights']) {
  tuned = Object.fromEntries(options['tuned-weights'].split(',').map((pair) => {
    const [term, weight] = pair.split('=');
    if (!TASKS.includes(term) || !(Number(weight) >= 0)) fail(`--tuned-weights: expected term=weight pairs for ${TASKS.join(', ')}, got '${pair}'.`);
    return [term, Number(weight)];
  }));
}

for (const seed of seeds) {
  for (const strategy of strategies) {
    const { label, weighting, auxiliary } = STRATEGIES[strategy];
    if (strategy === 'static-tuned' && !tuned) {
      // The search runs once, on the first seed, and reuses the equal-weights run as a candidate.
      const equal = rows.find((r) => r.strategy === 'static-equal' && r.seed === seed && !r.error)
        ?? { ...(await train(`search-equal-seed${seed}`, runConfig('search-equal', STRATEGIES['static-equal'].weighting(), seed, false))), weights: { digit: 1, accent: 1, speed: 1 } };
      search.push({ weights: { digit: 1, accent: 1, speed: 1 }, ...equal });
      for (const weights of SEARCH) {
        const name = `search-a${weights.accent}-s${weights.speed}-seed${seed}`;
        search.push({ weights, ...(await train(name, runConfig(name, { name: 'static', config: { weights } }, seed, false))) });
        await writeResults(false);
      }
      const candidates = search.filter((r) => !r.error);
      if (candidates.length === 0) fail('every run of the tuned-weights search failed.');
      tuned = candidates.reduce((a, b) => (validationScore(b) > validationScore(a) ? b : a)).weights;
      console.error(`compare-weightings: tuned weights ${JSON.stringify(tuned)}`);
      // The winning search run is this seed's tuned row (the same config, data and seed).
      const winner = search.find((r) => r.weights === tuned);
      if (winner) {
        rows.push({ ...winner, strategy, label, seed, weighting: { name: 'static', config: { weights: tuned } } });
        await writeResults(false);
        continue;
      }
    }
    const config = runConfig(`${strategy}-seed${seed}`, weighting(tuned), seed, auxiliary);
    rows.push({ ...(await train(`${strategy}-seed${seed}`, config)), strategy, label, seed, weighting: config.loss.weighting });
    await writeResults(false);
  }
}
await writeResults(true);
console.log(await fs.readFile(path.join(outDir, 'results.md'), 'utf8'));

function mean(values) {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** "mean (seed a, seed b)" or the single value. */
function cell(values, format) {
  if (values.length === 1) return format(values[0]);
  return `${format(mean(values))} (${values.map(format).join(', ')})`;
}

/** The markdown table of the rows so far: one line per strategy, seeds averaged. */
function table({ rows: tableRows, strategies: tableStrategies } = { rows, strategies }) {
  const percent = (v) => (100 * v).toFixed(1);
  const lines = [
    '| strategy | digit accuracy (%) | accent accuracy (%) | speed MAE (wpm) | speed R² | final weights (digit / accent / speed [/ image / audio]) | training s |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const strategy of tableStrategies) {
    const done = tableRows.filter((r) => r.strategy === strategy);
    if (done.length === 0) continue;
    const ok = done.filter((r) => !r.error);
    if (ok.length === 0) {
      lines.push(`| ${STRATEGIES[strategy].label} | failed: ${done[0].error.replace(/\|/g, '\\|').slice(0, 120)} | | | | | |`);
      continue;
    }
    // Each term's final weight, averaged over the seeds.
    const weights = Object.keys(ok[0].finalWeights).map((term) => mean(ok.map((r) => r.finalWeights[term])).toFixed(2)).join(' / ');
    lines.push(
      `| ${STRATEGIES[strategy].label} | ${cell(ok.map((r) => r.test.digit), percent)} | ${cell(ok.map((r) => r.test.accent), percent)} | ${cell(ok.map((r) => r.test.speedMae), (v) => v.toFixed(1))} | ${cell(ok.map((r) => r.test.speedR2), (v) => v.toFixed(2))} | ${weights} | ${cell(ok.map((r) => r.trainingSeconds), (v) => v.toFixed(0))} |`,
    );
  }
  return lines.join('\n');
}

function searchTable(searchRows = search) {
  if (searchRows.length === 0) return '';
  const lines = ['| weights (digit / accent / speed) | val digit acc (%) | val accent acc (%) | val speed R² | mean |', '| --- | --- | --- | --- | --- |'];
  for (const r of searchRows) {
    if (r.error) continue;
    lines.push(`| ${r.weights.digit} / ${r.weights.accent} / ${r.weights.speed} | ${(100 * r.validation.digit).toFixed(1)} | ${(100 * r.validation.accent).toFixed(1)} | ${r.validation.speedR2.toFixed(2)} | ${validationScore(r).toFixed(3)} |`);
  }
  return lines.join('\n');
}

/** Writes results.json, results.md and (unless --no-readme) the README region. */
async function writeResults(complete) {
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const sizes = ['train', 'val', 'test'].map((s) => `${splitSizes[s] ?? 0} ${s}`).join(' / ');
  const total = strategies.length * seeds.length;
  const text = [
    `Measured with \`${command}\` (${complete ? 'complete' : `in progress: ${rows.length} of ${total} rows so far`}; ${minutes} min wall time in all, one training at a time) on ${os.cpus().length} cores (${cpu}, shared with other work), TensorFlow.js ${tf.getBackend()} backend, Node ${process.version}.`,
    `Dataset: \`generate-data.mjs --max-per-digit ${dataSettings.maxPerDigit ?? '?'}\` (${sizes} samples; validation and test speakers are held out). Every run: multitask.yaml, ${epochs} epochs, seed${seeds.length > 1 ? 's' : ''} ${seeds.join(' and ')}${seeds.length > 1 ? ' (cells: mean, then each seed)' : ''}; the checkpoint with the best validation digit accuracy is scored on the test split. Final weights: the mean weight per term over the last epoch's steps, as the trainer logs it (\`weight.<term>\` in logs/train.jsonl), averaged over the seeds. Training s: the training steps of all epochs (no validation, no evaluation).`,
    '',
    table(),
    ...(search.length > 0 ? ['', `Static (tuned) search (seed ${seeds[0]}; validation split, checkpoint with the best validation digit accuracy; the highest mean wins):`, '', searchTable()] : []),
  ].join('\n');
  await fs.writeFile(path.join(outDir, 'results.json'), JSON.stringify({ command, epochs, seeds, splitSizes, complete, minutes: Number(minutes), tuned, search, rows }, null, 2));
  await fs.writeFile(path.join(outDir, 'results.md'), `${text}\n`);
  if (!options['no-readme']) await writeReadmeRegion(options.readme, text);
}

/** Replaces the text between the weighting-results markers; temporary file, then rename. */
async function writeReadmeRegion(file, text) {
  const startMarker = '<!-- weighting-results:start -->';
  const endMarker = '<!-- weighting-results:end -->';
  const readme = await fs.readFile(file, 'utf8');
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) {
    console.error(`compare-weightings: ${file} has no ${startMarker} ... ${endMarker} region; README not updated.`);
    return;
  }
  const updated = `${readme.slice(0, start + startMarker.length)}\n${text}\n${readme.slice(end)}`;
  const temporary = `${file}.tmp-${process.pid}`;
  await fs.writeFile(temporary, updated);
  await fs.rename(temporary, file);
}
