#!/usr/bin/env node
/**
 * Classic HMM baselines for av-digits (@polyfuse/hmm): one Gaussian-mixture
 * HMM per digit, trained by Baum-Welch on the train split, for
 *   - audio only: MFCC frames (13 cepstra + deltas, per-utterance mean removed);
 *   - image only: the 28 image columns as frames, left to right, each reduced
 *     by PCA (fitted on training columns) to --image-dims values;
 *   - multi-stream: one synchronous HMM whose state score is
 *     w * log p(audio frame) + (1 - w) * log p(image column), the columns
 *     upsampled to the audio frame rate, w tuned on the val split;
 *   - sequence-level fusion: w * log p(audio | audio HMM) + (1 - w) * log p(image | image HMM)
 *     of the two unimodal classifiers, w tuned on the val split (what the
 *     product of two independent HMMs, i.e. asynchronous streams, scores).
 * Prints accuracy on every split whose name starts with `test`, in
 * data/manifest.jsonl and in any other *.jsonl manifest of the data folder
 * (data/unseen-voices.jsonl: the test images with unseen voices), plus timings.
 *
 *   node apps/av-digits/scripts/hmm-baseline.mjs [--data DIR] [--max-per-digit N] [--max-eval N]
 *       [--audio-states 12] [--image-states 8] [--multi-states 12] [--mixtures 2] [--iterations 15]
 *       [--image-dims 16] [--image-blur 0] [--seed 1] [--json FILE]
 *
 * Deterministic for given options and data. Nothing is written unless --json is given.
 */
import { parseArgs } from 'node:util';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { decodeWav, mfcc, computeDeltas } from '@polyfuse/audio';
import { HmmClassifier, MultiStreamHmmClassifier, resampleFrames, streamWeightGrid, logSumExp } from '@polyfuse/hmm';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values: options } = parseArgs({
  options: {
    data: { type: 'string', default: path.join(appDir, 'data') },
    'max-per-digit': { type: 'string', default: '0' },
    'max-eval': { type: 'string', default: '0' },
    'audio-states': { type: 'string', default: '12' },
    'image-states': { type: 'string', default: '8' },
    'multi-states': { type: 'string', default: '12' },
    mixtures: { type: 'string', default: '2' },
    iterations: { type: 'string', default: '15' },
    tolerance: { type: 'string', default: '0.0001' },
    'image-dims': { type: 'string', default: '16' },
    'image-blur': { type: 'string', default: '0' },
    'weight-step': { type: 'string', default: '0.05' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string', default: 'audio,image,multi-stream,sequence-fusion' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (options.help) {
  console.log(`Usage: node scripts/hmm-baseline.mjs [options]
  --data DIR            av-digits data folder with manifest.jsonl (default: the app's data/); test* rows of
                        its other *.jsonl files are evaluated too, as '<split> (<file>)'
  --max-per-digit N     training samples per digit, first N in manifest order (default 0: all)
  --max-eval N          at most N samples of each val/test split, first in manifest order (default 0: all)
  --audio-states N      states of each audio HMM (default 12)
  --image-states N      states of each image HMM (default 8)
  --multi-states N      states of each multi-stream HMM (default 12)
  --mixtures K          Gaussians per state and stream (default 2)
  --iterations N        Baum-Welch iterations at most (default 15); --tolerance per-frame log-lik (default 1e-4)
  --image-dims D        PCA dimensions of an image column (default 16)
  --image-blur R        box blur of radius R pixels before taking columns, against the pixel noise (default 0: none; 1: 3x3)
  --weight-step S       grid step of the stream weight search on val (default 0.05)
  --only LIST           any of audio,image,multi-stream,sequence-fusion (sequence-fusion needs audio and image)
  --seed N              seed of the k-means initialisation (default 1)
  --json FILE           also write the results as JSON`);
  process.exit(0);
}

const int = (name) => {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`hmm-baseline: --${name} must be an integer >= 0, got '${options[name]}'.`);
    process.exit(2);
  }
  return value;
};
const maxPerDigit = int('max-per-digit');
const maxEval = int('max-eval');
const mixtures = int('mixtures');
const imageDims = int('image-dims');
const imageBlur = int('image-blur');
const only = new Set(options.only.split(',').map((s) => s.trim()));
const common = { mixtures, maxIterations: int('iterations'), tolerance: Number(options.tolerance), seed: int('seed'), topology: 'left-right', initialisation: 'uniform-segment' };
const started = Date.now();
const seconds = (from) => (Date.now() - from) / 1000;
const log = (message) => console.error(`hmm-baseline: ${message}`);

// ---- data ---------------------------------------------------------------------------------------
const manifestFile = path.join(options.data, 'manifest.jsonl');
let manifestText;
try {
  manifestText = await fs.readFile(manifestFile, 'utf8');
} catch (error) {
  console.error(`hmm-baseline: cannot read ${manifestFile} (${error.code ?? error.message}); generate the data with node apps/av-digits/scripts/generate-data.mjs.`);
  process.exit(2);
}
const parseJsonl = (text) => text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
const rows = parseJsonl(manifestText);
const bySplit = new Map();
for (const row of rows) {
  if (!bySplit.has(row.split)) bySplit.set(row.split, []);
  bySplit.get(row.split).push(row);
}
// Other manifests in the folder (unseen-voices.jsonl) add test sets: their test* rows, named '<split> (<file>)'.
const extraManifests = (await fs.readdir(options.data)).filter((f) => f.endsWith('.jsonl') && f !== 'manifest.jsonl').sort();
for (const file of extraManifests) {
  for (const row of parseJsonl(await fs.readFile(path.join(options.data, file), 'utf8'))) {
    if (!String(row.split).startsWith('test')) continue;
    const name = `${row.split} (${file})`;
    if (!bySplit.has(name)) bySplit.set(name, []);
    bySplit.get(name).push(row);
  }
}
const testSplits = [...bySplit.keys()].filter((s) => s.startsWith('test')).sort();
if (!bySplit.has('train') || !bySplit.has('val') || testSplits.length === 0) {
  console.error(`hmm-baseline: ${manifestFile} needs train, val and test* splits; it has ${[...bySplit.keys()].join(', ')}.`);
  process.exit(2);
}
const perDigit = new Map();
const train = bySplit.get('train').filter((row) => {
  const n = perDigit.get(row.label) ?? 0;
  perDigit.set(row.label, n + 1);
  return maxPerDigit === 0 || n < maxPerDigit;
});
const cap = (list) => (maxEval > 0 ? list.slice(0, maxEval) : list);
const evaluation = { val: cap(bySplit.get('val')), ...Object.fromEntries(testSplits.map((s) => [s, cap(bySplit.get(s))])) };
log(`${rows.length} samples in ${manifestFile}${extraManifests.length ? ` (+ ${extraManifests.join(', ')})` : ''}; using ${train.length} train, ${Object.entries(evaluation).map(([s, r]) => `${r.length} ${s}`).join(', ')}`);

// ---- features -----------------------------------------------------------------------------------
const MFCC = { sampleRate: 8000, nFft: 256, winLength: 200, hopLength: 80, nMels: 26, nMfcc: 13, fMin: 20, fMax: 4000 };

/** MFCC + deltas, cepstral mean removed per utterance: a FrameMatrix of [frames, 26]. */
function audioFrames(bytes, file) {
  const audio = decodeWav(bytes, file);
  if (audio.sampleRate !== MFCC.sampleRate) throw new Error(`${file}: expected ${MFCC.sampleRate} Hz audio, got ${audio.sampleRate} Hz.`);
  const cepstra = mfcc(audio.channelData[0], MFCC);
  const { rows: coefficients, cols: frames } = cepstra;
  for (let k = 0; k < coefficients; k++) {
    let mean = 0;
    for (let t = 0; t < frames; t++) mean += cepstra.data[k * frames + t];
    mean /= frames;
    for (let t = 0; t < frames; t++) cepstra.data[k * frames + t] -= mean;
  }
  const deltas = computeDeltas(cepstra, 5);
  const dim = 2 * coefficients;
  const data = new Float64Array(frames * dim);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < coefficients; k++) {
      data[t * dim + k] = cepstra.data[k * frames + t];
      data[t * dim + coefficients + k] = deltas.data[k * frames + t];
    }
  }
  return { frames, dim, data };
}

/** The image's columns, left to right, as 28 frames of 28 pixel values in [0, 1], box-blurred by --image-blur. */
function imageColumns(bytes) {
  const png = PNG.sync.read(bytes);
  const { width, height, data } = png;
  const channels = data.length / (width * height);
  const pixel = (x, y) => data[(y * width + x) * channels] / 255;
  const out = new Float64Array(width * height);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      let sum = 0;
      let count = 0;
      for (let dx = -imageBlur; dx <= imageBlur; dx++) {
        for (let dy = -imageBlur; dy <= imageBlur; dy++) {
          if (x + dx < 0 || x + dx >= width || y + dy < 0 || y + dy >= height) continue;
          sum += pixel(x + dx, y + dy);
          count++;
        }
      }
      out[x * height + y] = sum / count;
    }
  }
  return { frames: width, dim: height, data: out };
}

const featureStart = Date.now();
async function features(row) {
  const [wav, png] = await Promise.all([fs.readFile(path.join(options.data, row.audio)), fs.readFile(path.join(options.data, row.image))]);
  return { label: row.label, audio: audioFrames(new Uint8Array(wav), row.audio), columns: imageColumns(png) };
}
async function allFeatures(list) {
  const out = [];
  for (let i = 0; i < list.length; i += 64) out.push(...(await Promise.all(list.slice(i, i + 64).map(features))));
  return out;
}
const trainSet = await allFeatures(train);
const evalSets = {};
for (const [split, list] of Object.entries(evaluation)) evalSets[split] = await allFeatures(list);
const featureSeconds = seconds(featureStart);
log(`features in ${featureSeconds.toFixed(1)} s (audio ${trainSet[0].audio.frames} frames x ${trainSet[0].audio.dim}, image ${trainSet[0].columns.frames} columns x ${trainSet[0].columns.dim})`);

// PCA of image columns, fitted on the training columns only.
const pcaStart = Date.now();
const pca = fitPca(trainSet.map((s) => s.columns), imageDims);
for (const s of [trainSet, ...Object.values(evalSets)].flat()) {
  s.image = pca.project(s.columns);
  if (only.has('multi-stream')) s.imageUpsampled = resampleFrames(s.image, s.audio.frames);
  delete s.columns; // 12,000 samples: keep memory modest
}
log(`PCA of image columns to ${imageDims} dims keeps ${(100 * pca.explained).toFixed(1)}% of the variance (${seconds(pcaStart).toFixed(1)} s)`);

// ---- models -------------------------------------------------------------------------------------
const labels = (set) => set.map((s) => s.label);
const results = [];
const accuracyOf = (predict, set) => set.filter((s) => predict(s) === s.label).length / set.length;
const testAccuracies = (predict) => Object.fromEntries(testSplits.map((split) => [split, accuracyOf(predict, evalSets[split])]));

let audioClassifier;
let imageClassifier;
if (only.has('audio') || only.has('sequence-fusion')) {
  const t0 = Date.now();
  audioClassifier = HmmClassifier.fit(trainSet.map((s) => s.audio), labels(trainSet), { ...common, states: int('audio-states') });
  const trainSeconds = seconds(t0);
  const t1 = Date.now();
  const val = accuracyOf((s) => audioClassifier.predict(s.audio), evalSets.val);
  const test = testAccuracies((s) => audioClassifier.predict(s.audio));
  results.push({ model: 'audio HMM', streams: 'audio (MFCC)', states: int('audio-states'), val, test, trainSeconds, evalSeconds: seconds(t1) });
  log(`audio: val ${pct(val)}, ${fmtTests(test)}, trained in ${trainSeconds.toFixed(1)} s`);
}
if (only.has('image') || only.has('sequence-fusion')) {
  const t0 = Date.now();
  imageClassifier = HmmClassifier.fit(trainSet.map((s) => s.image), labels(trainSet), { ...common, states: int('image-states') });
  const trainSeconds = seconds(t0);
  const t1 = Date.now();
  const val = accuracyOf((s) => imageClassifier.predict(s.image), evalSets.val);
  const test = testAccuracies((s) => imageClassifier.predict(s.image));
  results.push({ model: 'image HMM', streams: 'image (columns)', states: int('image-states'), val, test, trainSeconds, evalSeconds: seconds(t1) });
  log(`image: val ${pct(val)}, ${fmtTests(test)}, trained in ${trainSeconds.toFixed(1)} s`);
}
if (only.has('multi-stream')) {
  const t0 = Date.now();
  const observation = (s) => ({ audio: s.audio, image: s.imageUpsampled });
  const trained = MultiStreamHmmClassifier.fit(trainSet.map(observation), labels(trainSet), { ...common, states: int('multi-states') });
  const trainSeconds = seconds(t0);
  const t1 = Date.now();
  const grid = streamWeightGrid(['audio', 'image'], Number(options['weight-step']));
  const tuning = trained.tuneStreamWeights(evalSets.val.map(observation), labels(evalSets.val), { grid });
  const tuneSeconds = seconds(t1);
  const classifier = trained.withStreamWeights(tuning.streamWeights);
  const t2 = Date.now();
  const test = testAccuracies((s) => classifier.predict(observation(s)));
  results.push({ model: 'multi-stream HMM', streams: 'audio + image, state-synchronous', states: int('multi-states'), weights: tuning.streamWeights, val: tuning.accuracy, test, trainSeconds, tuneSeconds, evalSeconds: seconds(t2) });
  log(`multi-stream: weights ${JSON.stringify(tuning.streamWeights)}, val ${pct(tuning.accuracy)}, ${fmtTests(test)}, trained in ${trainSeconds.toFixed(1)} s, tuned in ${tuneSeconds.toFixed(1)} s`);
}
if (only.has('sequence-fusion') && audioClassifier && imageClassifier) {
  const t0 = Date.now();
  const scores = (set) => set.map((s) => ({ audio: audioClassifier.logLikelihoods(s.audio), image: imageClassifier.logLikelihoods(s.image), label: s.label }));
  const classes = audioClassifier.classes;
  const decide = (score, w) => {
    let best = 0;
    let bestValue = -Infinity;
    for (let c = 0; c < classes.length; c++) {
      const value = w * score.audio[c] + (1 - w) * score.image[c];
      if (value > bestValue) {
        bestValue = value;
        best = c;
      }
    }
    return classes[best];
  };
  const valScores = scores(evalSets.val);
  let best = { w: 0, accuracy: -1, crossEntropy: Infinity };
  for (const { audio: w } of streamWeightGrid(['audio', 'image'], Number(options['weight-step']))) {
    const accuracy = valScores.filter((s) => decide(s, w) === s.label).length / valScores.length;
    const crossEntropy = valScores.reduce((sum, s) => {
      const combined = classes.map((_, c) => w * s.audio[c] + (1 - w) * s.image[c]);
      return sum + logSumExp(combined) - combined[classes.indexOf(s.label)];
    }, 0);
    if (accuracy > best.accuracy || (accuracy === best.accuracy && crossEntropy < best.crossEntropy)) best = { w, accuracy, crossEntropy };
  }
  const test = Object.fromEntries(testSplits.map((split) => {
    const set = scores(evalSets[split]);
    return [split, set.filter((s) => decide(s, best.w) === s.label).length / set.length];
  }));
  results.push({ model: 'sequence-level fusion', streams: 'audio HMM + image HMM log-likelihoods', states: `${int('audio-states')} + ${int('image-states')}`, weights: { audio: best.w, image: Number((1 - best.w).toFixed(10)) }, val: best.accuracy, test, trainSeconds: 0, evalSeconds: seconds(t0) });
  log(`sequence-level fusion: audio weight ${best.w}, val ${pct(best.accuracy)}, ${fmtTests(test)}`);
}

// ---- report -------------------------------------------------------------------------------------
function pct(x) {
  return `${(100 * x).toFixed(2)}%`;
}
function fmtTests(test) {
  return Object.entries(test).map(([s, a]) => `${s} ${pct(a)}`).join(', ');
}
const header = ['model', 'streams', 'states', 'stream weights (val-tuned)', 'val acc. (%)', ...testSplits.map((s) => `${s} acc. (%)`), 'training (s)'];
console.log(`\nav-digits HMM baselines: ${train.length} training samples${maxPerDigit ? ` (${maxPerDigit} per digit)` : ''}, ${Object.entries(evaluation).map(([s, r]) => `${r.length} ${s}`).join(', ')}; ${mixtures} Gaussians per state and stream; ${os.cpus().length} cores, Node ${process.version}`);
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map(() => '---').join(' | ')} |`);
for (const r of results) {
  const weights = r.weights ? Object.entries(r.weights).map(([s, w]) => `${s} ${w}`).join(', ') : '';
  console.log(`| ${r.model} | ${r.streams} | ${r.states} | ${weights} | ${(100 * r.val).toFixed(2)} | ${testSplits.map((s) => (100 * r.test[s]).toFixed(2)).join(' | ')} | ${r.trainSeconds.toFixed(1)} |`);
}
console.log(`features ${featureSeconds.toFixed(1)} s; total ${seconds(started).toFixed(1)} s`);
const summary = { options, trainSamples: train.length, evaluated: Object.fromEntries(Object.entries(evaluation).map(([s, r]) => [s, r.length])), featureSeconds, totalSeconds: seconds(started), results };
console.log(JSON.stringify(summary));
if (options.json) await fs.writeFile(options.json, `${JSON.stringify(summary, null, 1)}\n`);

/** PCA by Jacobi eigen-decomposition of the column covariance. */
function fitPca(matrices, components) {
  const dim = matrices[0].dim;
  if (!(components >= 1 && components <= dim)) throw new Error(`--image-dims must be between 1 and ${dim}, got ${components}.`);
  const mean = new Float64Array(dim);
  let count = 0;
  for (const m of matrices) {
    for (let i = 0; i < m.data.length; i++) mean[i % dim] += m.data[i];
    count += m.frames;
  }
  for (let d = 0; d < dim; d++) mean[d] /= count;
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (const m of matrices) {
    for (let t = 0; t < m.frames; t++) {
      for (let d = 0; d < dim; d++) centred[d] = m.data[t * dim + d] - mean[d];
      for (let a = 0; a < dim; a++) for (let b = a; b < dim; b++) cov[a * dim + b] += centred[a] * centred[b];
    }
  }
  for (let a = 0; a < dim; a++) for (let b = a; b < dim; b++) cov[b * dim + a] = cov[a * dim + b] /= count;
  const { values, vectors } = jacobiEigen(cov, dim);
  const order = Array.from({ length: dim }, (_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  const total = values.reduce((a, b) => a + b, 0);
  const kept = order.slice(0, components);
  return {
    explained: kept.reduce((sum, i) => sum + values[i], 0) / total,
    project(m) {
      const data = new Float64Array(m.frames * components);
      for (let t = 0; t < m.frames; t++) {
        kept.forEach((i, c) => {
          let sum = 0;
          for (let d = 0; d < dim; d++) sum += (m.data[t * dim + d] - mean[d]) * vectors[d * dim + i];
          data[t * components + c] = sum;
        });
      }
      return { frames: m.frames, dim: components, data };
    },
  };
}

function jacobiEigen(symmetric, n) {
  const a = Float64Array.from(symmetric);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Array.from({ length: n }, (_, i) => a[i * n + i]), vectors: v };
}
