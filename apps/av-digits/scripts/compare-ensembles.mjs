#!/usr/bin/env node
/**
 * Compares ensembles of polyfuse models on a small av-digits dataset, next
 * to one model, with their cost:
 *
 * - single: config.yaml's fused model, trained once.
 * - bagging: `--members` fused models, each trained on a bootstrap sample
 *   of the training split (`bootstrapBags`), class probabilities averaged
 *   (`averagePredictions`).
 * - stacking: an image-only and an audio-only model (config.yaml with the
 *   other modality dropped), and a `StackingMetaLearner` fitted on their
 *   predictions for the validation split (samples they did not train on),
 *   applied to their test predictions.
 * - boosting: SAMME with resampling (`SammeBoosting`): up to `--members`
 *   fused models, each trained on a weighted bootstrap of the training split
 *   drawn from the current sample weights; each member's classes on the whole
 *   training split give its error, its weight α and the next sample weights;
 *   the test prediction is the α-weighted vote.
 *
 * Every model: config.yaml's encoders, fusion, head, optimizer and batch
 * size, `--epochs` epochs, the checkpoint with the best validation accuracy
 * (so every approach uses the validation split for checkpoints, and stacking
 * also for its meta-learner). Member k of an ensemble is trained with seed
 * `seed + k`. Cost: trainings, their wall time (data decoding, training,
 * validation, evaluation) and the time to predict with every model.
 *
 *   node scripts/compare-ensembles.mjs [--data DIR | --max-per-digit N] [--epochs E] [--members M]
 *       [--approaches single,bagging,stacking,boosting] [--out DIR]
 *
 * Results go to <out>/results.{json,md} after every approach; the README's
 * ensembles section is filled from results.md by hand.
 */
import { parseArgs } from 'node:util';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { loadConfig, openRun, predictManifest, trainRun } from '@polyfuse/cli';
import { initBackend, tf } from '@polyfuse/core';
import { SammeBoosting, StackingMetaLearner, averagePredictions, bootstrapBags } from '@polyfuse/fusion';
import { comparisonDataset } from './lib/comparisonRuns.mjs';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const started = Date.now();
const APPROACHES = ['single', 'bagging', 'stacking', 'boosting'];

const { values: options } = parseArgs({
  options: {
    config: { type: 'string', default: path.join(appDir, 'config.yaml') },
    data: { type: 'string' },
    'max-per-digit': { type: 'string', default: '150' },
    epochs: { type: 'string', default: '8' },
    members: { type: 'string', default: '5' },
    approaches: { type: 'string', default: APPROACHES.join(',') },
    out: { type: 'string', default: path.join(appDir, 'runs', 'ensembles') },
    help: { type: 'boolean', default: false },
  },
});

if (options.help) {
  console.log(`Usage: node scripts/compare-ensembles.mjs [options]
  --data DIR             an existing generate-data.mjs folder
  --max-per-digit N      without --data: generate <out>/data with this many images per digit (default 150)
  --epochs E             training epochs of every model (default 8)
  --members M            bagging members, and the most boosting members (default 5)
  --approaches a,b,...   some of ${APPROACHES.join(',')} (default all)
  --config FILE          the base config (default config.yaml)
  --out DIR              runs and results (default runs/ensembles)`);
  process.exit(0);
}

const fail = (message) => {
  console.error(`compare-ensembles: ${message}`);
  process.exit(2);
};
const integerOption = (name, min) => {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < min) fail(`--${name} must be an integer >= ${min}, got '${options[name]}'.`);
  return value;
};
const epochs = integerOption('epochs', 1);
const memberCount = integerOption('members', 1);
const approaches = options.approaches.split(',').map((a) => a.trim()).filter(Boolean);
for (const a of approaches) if (!APPROACHES.includes(a)) fail(`--approaches: unknown approach '${a}'; expected some of ${APPROACHES.join(', ')}.`);
if (approaches.length === 0) fail('--approaches: name at least one approach.');

const outDir = path.resolve(options.out);
const command = `node apps/av-digits/scripts/compare-ensembles.mjs ${process.argv.slice(2).join(' ')}`.trim();

// 1. The dataset.
const { dataDir, manifest } = comparisonDataset({ data: options.data, outDir, maxPerDigit: options['max-per-digit'], fail });
const dataSettings = existsSync(path.join(dataDir, 'dataset.json')) ? JSON.parse(await fs.readFile(path.join(dataDir, 'dataset.json'), 'utf8')).settings : {};
/** Every manifest line with absolute file paths, so member manifests can live anywhere. */
const lines = (await fs.readFile(manifest, 'utf8')).split('\n').filter((l) => l.trim()).map((l) => {
  const sample = JSON.parse(l);
  return { ...sample, image: path.join(dataDir, sample.image), audio: path.join(dataDir, sample.audio) };
});
const split = (name) => lines.filter((l) => l.split === name);
const [trainLines, valLines, testLines] = [split('train'), split('val'), split('test')];
const allManifest = path.join(outDir, 'manifests', 'all.jsonl');
await fs.mkdir(path.dirname(allManifest), { recursive: true });
await fs.writeFile(allManifest, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

await initBackend({ log: null });
const base = YAML.parse(await fs.readFile(options.config, 'utf8'));
const labelField = Object.values(base.data.labels)[0].field ?? Object.keys(base.data.labels)[0];
const baseSeed = base.training?.seed ?? 0;

/** config.yaml with this manifest, seed and epochs, keeping only `modalities`. */
function runConfig(name, memberManifest, seed, modalities) {
  const config = structuredClone(base);
  config.name = `av-digits-${name}`;
  config.data.manifest = memberManifest;
  for (const m of Object.keys(base.data.modalities)) {
    if (modalities.includes(m)) continue;
    delete config.data.modalities[m];
    delete config.model.encoders[m];
  }
  config.training = { ...config.training, epochs, seed, earlyStoppingPatience: 0 };
  config.evaluation = { contribution: false, robustness: [] };
  return config;
}

/** A manifest whose training split is `trainIndices` of the training samples (repeats get their own ids); validation and test unchanged. */
async function memberManifest(name, trainIndices) {
  const file = path.join(outDir, 'manifests', `${name}.jsonl`);
  const resampled = trainIndices ? trainIndices.map((i, k) => ({ ...trainLines[i], id: `${trainLines[i].id}~${k}` })) : trainLines;
  await fs.writeFile(file, [...resampled, ...valLines, ...testLines].map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

const quiet = { start() {}, update() {}, finish() {}, log() {} };

/**
 * Trains one model and predicts every sample of the dataset with it.
 * Returns `probabilities[id]` (class-probability rows in class order), its
 * test accuracy from evaluation.json, and the seconds spent.
 */
async function trainAndPredict(name, trainIndices, seed, modalities) {
  const runDir = path.join(outDir, 'runs', name);
  const configFile = path.join(outDir, 'configs', `${name}.yaml`);
  await fs.mkdir(path.dirname(configFile), { recursive: true });
  await fs.writeFile(configFile, YAML.stringify(runConfig(name, await memberManifest(name, trainIndices), seed, modalities)));
  console.error(`compare-ensembles: training ${name}`);
  const trainStarted = performance.now();
  const result = await trainRun(await loadConfig(configFile), { outDir: runDir, progress: quiet });
  const trainSeconds = (performance.now() - trainStarted) / 1000;
  const predictStarted = performance.now();
  const run = await openRun(runDir);
  const { predictions } = await predictManifest(run, allManifest);
  run.model.dispose?.();
  const predictSeconds = (performance.now() - predictStarted) / 1000;
  const classNames = Object.keys(predictions[0].probabilities);
  const probabilities = Object.fromEntries(predictions.map((p) => [p.id, classNames.map((c) => p.probabilities[c])]));
  const evaluation = result.evaluation ?? JSON.parse(await fs.readFile(path.join(runDir, 'evaluation.json'), 'utf8'));
  console.error(`compare-ensembles: ${name}: test accuracy ${(100 * evaluation.metrics.accuracy).toFixed(1)}%, trained in ${trainSeconds.toFixed(0)} s, predicted in ${predictSeconds.toFixed(1)} s`);
  return { name, probabilities, classNames, testAccuracy: evaluation.metrics.accuracy, trainSeconds, predictSeconds };
}

const argmax = (row) => row.indexOf(Math.max(...row));
/** Class index of each sample's label, in a model's class order. */
const labelsOf = (samples, classNames) => samples.map((s) => {
  const k = classNames.indexOf(String(s[labelField]));
  if (k < 0) fail(`label ${s[labelField]} of ${s.id} is not one of the model's classes (${classNames.join(', ')}).`);
  return k;
});
const rowsOf = (model, samples) => samples.map((s) => {
  const row = model.probabilities[s.id];
  if (!row) fail(`${model.name} has no prediction for ${s.id}.`);
  return row;
});
const accuracy = (predicted, labels) => predicted.filter((p, i) => p === labels[i]).length / labels.length;
const cost = (models) => ({
  trainings: models.length,
  trainSeconds: models.reduce((s, m) => s + m.trainSeconds, 0),
  predictSeconds: models.reduce((s, m) => s + m.predictSeconds, 0),
});

const results = [];
await fs.mkdir(outDir, { recursive: true });
const fused = Object.keys(base.data.modalities);

for (const approach of approaches) {
  const approachStarted = performance.now();
  const row = { approach };
  try {
    if (approach === 'single') {
      const model = await trainAndPredict('single', null, baseSeed, fused);
      const labels = labelsOf(testLines, model.classNames);
      Object.assign(row, { accuracy: accuracy(rowsOf(model, testLines).map(argmax), labels), members: [model.testAccuracy], ...cost([model]) });
    } else if (approach === 'bagging') {
      const { inBag } = bootstrapBags(trainLines.length, memberCount, baseSeed);
      const models = [];
      for (let b = 0; b < memberCount; b++) models.push(await trainAndPredict(`bagging-${b}`, inBag[b], baseSeed + b, fused));
      const labels = labelsOf(testLines, models[0].classNames);
      const averaged = averagePredictions(models.map((m) => rowsOf(m, testLines)));
      Object.assign(row, { accuracy: accuracy(averaged.map(argmax), labels), members: models.map((m) => m.testAccuracy), ...cost(models) });
    } else if (approach === 'stacking') {
      const unimodal = {};
      for (const m of fused) unimodal[m] = await trainAndPredict(`stacking-${m}`, null, baseSeed, [m]);
      const classNames = unimodal[fused[0]].classNames;
      const metaStarted = performance.now();
      const learner = StackingMetaLearner.fit(Object.fromEntries(fused.map((m) => [m, rowsOf(unimodal[m], valLines)])), labelsOf(valLines, classNames));
      const predicted = learner.predict(Object.fromEntries(fused.map((m) => [m, rowsOf(unimodal[m], testLines)])));
      const metaSeconds = (performance.now() - metaStarted) / 1000;
      const models = Object.values(unimodal);
      const c = cost(models);
      Object.assign(row, { accuracy: accuracy(predicted, labelsOf(testLines, classNames)), members: models.map((m) => m.testAccuracy), memberNames: fused, ...c, metaSeconds, trainSeconds: c.trainSeconds + metaSeconds });
    } else if (approach === 'boosting') {
      // Classes are the sorted distinct labels (how a class target is fitted), known before any member trains.
      const classNames = [...new Set(trainLines.map((l) => l[labelField]))].sort((a, b) => a - b).map(String);
      const boosting = new SammeBoosting({ numClasses: classNames.length, labels: labelsOf(trainLines, classNames), maxMembers: memberCount, seed: baseSeed });
      const models = [];
      const rejected = [];
      for (let m = 0; !boosting.stopped; m++) {
        // Every member, the first too, trains on a weighted bootstrap of the training split ("SAMME with resampling").
        const model = await trainAndPredict(`boosting-${m}`, boosting.resample(), baseSeed + m, fused);
        if (model.classNames.join() !== classNames.join()) fail(`boosting-${m} predicts classes ${model.classNames.join(', ')}, expected ${classNames.join(', ')}.`);
        const round = boosting.addMember(rowsOf(model, trainLines).map(argmax));
        if (round) {
          models.push(model);
          console.error(`compare-ensembles: boosting-${m}: weighted training error ${round.error.toFixed(4)}, α ${round.alpha.toFixed(3)}`);
        } else {
          rejected.push(model);
          console.error(`compare-ensembles: boosting-${m}: rejected (no better than chance on the weighted training samples)`);
        }
      }
      const predicted = boosting.predict(models.map((mod) => rowsOf(mod, testLines).map(argmax)));
      Object.assign(row, {
        accuracy: accuracy(predicted, labelsOf(testLines, classNames)),
        members: models.map((mod) => mod.testAccuracy),
        alphas: [...boosting.alphas],
        errors: [...boosting.errors],
        stopReason: boosting.stopReason,
        ...cost([...models, ...rejected]),
      });
    }
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
    console.error(`compare-ensembles: ${approach} failed: ${row.error}`);
  }
  row.wallSeconds = (performance.now() - approachStarted) / 1000;
  results.push(row);
  await writeResults(false);
}
await writeResults(true);
console.log(await fs.readFile(path.join(outDir, 'results.md'), 'utf8'));

function table() {
  const percent = (v) => (100 * v).toFixed(1);
  const lines = [
    '| approach | models | test accuracy (%) | members\' test accuracy (%) | trainings | training wall time (s) | prediction time, all models (s) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const describe = {
    single: 'one fused model',
    bagging: `${memberCount} fused models on bootstrap samples, probabilities averaged`,
    stacking: 'image-only + audio-only models, logistic-regression meta-learner fitted on validation predictions',
    boosting: 'SAMME with resampling: fused models on weighted bootstrap samples, α-weighted vote',
  };
  for (const r of results) {
    if (r.error) {
      lines.push(`| ${r.approach} | ${describe[r.approach]} | failed: ${r.error.replace(/\|/g, '\\|').slice(0, 120)} | | | | |`);
      continue;
    }
    const members = r.memberNames ? r.members.map((a, i) => `${r.memberNames[i]} ${percent(a)}`).join(', ') : r.members.map(percent).join(', ');
    const extra = r.alphas ? ` (α ${r.alphas.map((a) => a.toFixed(2)).join(', ')}; stopped: ${r.stopReason})` : '';
    lines.push(`| ${r.approach} | ${describe[r.approach]}${extra} | ${percent(r.accuracy)} | ${members} | ${r.trainings} | ${r.trainSeconds.toFixed(0)} | ${r.predictSeconds.toFixed(1)} |`);
  }
  return lines.join('\n');
}

async function writeResults(complete) {
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  const text = [
    `Measured with \`${command}\` (${complete ? 'complete' : `in progress: ${results.length} of ${approaches.length} approaches`}; ${minutes} min wall time in all, one training at a time) on ${os.cpus().length} cores (${cpu}, shared with other work), TensorFlow.js ${tf.getBackend()} backend, Node ${process.version}.`,
    `Dataset: \`generate-data.mjs --max-per-digit ${dataSettings.maxPerDigit ?? '?'}\` (${trainLines.length} train / ${valLines.length} val / ${testLines.length} test samples). Every model: config.yaml, ${epochs} epochs, the checkpoint with the best validation accuracy; member k of an ensemble has seed ${baseSeed} + k. Training wall time: every training of the approach (decoding, training, validation, evaluation); prediction time: predicting all ${lines.length} samples with each model.`,
    '',
    table(),
  ].join('\n');
  await fs.writeFile(path.join(outDir, 'results.json'), JSON.stringify({ command, epochs, members: memberCount, complete, minutes: Number(minutes), results }, null, 2));
  await fs.writeFile(path.join(outDir, 'results.md'), `${text}\n`);
}
