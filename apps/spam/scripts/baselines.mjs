#!/usr/bin/env node
/**
 * Non-neural baselines for the README, fitted on the training split and
 * scored like the models (scripts/scores.mjs) on the test split and on
 * collection2:
 *
 *  - majority class: the most common training label for every email (a
 *    constant score: ROC-AUC 0.5, average precision = the spam share);
 *  - naive Bayes on the text: multinomial, Laplace smoothing (α = 1), words
 *    seen at least twice in training (the word tokenizer's rule: lower-cased
 *    runs of letters, digits and apostrophes);
 *  - logistic regression on the metadata: the 16 `meta` numbers standardised
 *    with training statistics plus a one-hot sender TLD (the 24 most common
 *    training TLDs with 3+ emails), L2 = 1e-4, 600 steps of full-batch gradient descent;
 *  - logistic regression on words + metadata: the same, plus the
 *    L2-normalised log(1 + count) bag of words: a non-neural fused model.
 * Everything is deterministic plain JavaScript.
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJsonl, scoreSpam } from './scores.mjs';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const words = (text) => (text ?? '').toLowerCase().match(/[\p{L}\p{M}\p{N}']+/gu) ?? [];

/** Multinomial naive Bayes over word counts; returns `(text) => P(spam)`. */
export function fitNaiveBayes(train, { minFrequency = 2, alpha = 1 } = {}) {
  const frequency = new Map();
  for (const row of train) for (const w of words(row.text)) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  const vocabulary = new Set([...frequency].filter(([, n]) => n >= minFrequency).map(([w]) => w));
  const counts = { spam: new Map(), ham: new Map() };
  const totals = { spam: 0, ham: 0 };
  const docs = { spam: 0, ham: 0 };
  for (const row of train) {
    docs[row.label]++;
    for (const w of words(row.text)) {
      if (!vocabulary.has(w)) continue;
      counts[row.label].set(w, (counts[row.label].get(w) ?? 0) + 1);
      totals[row.label]++;
    }
  }
  const logPrior = Math.log(docs.spam / docs.ham);
  const logLikelihood = (label, w) => Math.log(((counts[label].get(w) ?? 0) + alpha) / (totals[label] + alpha * vocabulary.size));
  return (text) => {
    let logOdds = logPrior;
    for (const w of words(text)) if (vocabulary.has(w)) logOdds += logLikelihood('spam', w) - logLikelihood('ham', w);
    return 1 / (1 + Math.exp(-logOdds));
  };
}

/**
 * Binary logistic regression on sparse rows (`{ index: value }` maps) by
 * full-batch gradient descent with L2; returns `(row) => P(spam)`.
 */
function fitLogistic(rows, labels, size, { l2 = 1e-4, learningRate = 2, iterations = 600 } = {}) {
  const weights = new Float64Array(size);
  let bias = 0;
  const n = rows.length;
  const predict = (row) => {
    let z = bias;
    for (const [i, v] of row) z += weights[i] * v;
    return 1 / (1 + Math.exp(-z));
  };
  for (let step = 0; step < iterations; step++) {
    const gradient = new Float64Array(size);
    let gradientBias = 0;
    rows.forEach((row, k) => {
      const error = predict(row) - labels[k];
      gradientBias += error;
      for (const [i, v] of row) gradient[i] += error * v;
    });
    for (let i = 0; i < size; i++) weights[i] -= learningRate * (gradient[i] / n + l2 * weights[i]);
    bias -= (learningRate * gradientBias) / n;
  }
  return predict;
}

/** Feature rows for the logistic baselines: metadata (standardised, TLD one-hot) and optionally the bag of words. */
function featurizer(train, { withWords }) {
  const width = train[0].meta.length;
  const mean = Array.from({ length: width }, (_, c) => train.reduce((s, r) => s + r.meta[c], 0) / train.length);
  const std = mean.map((m, c) => Math.sqrt(train.reduce((s, r) => s + (r.meta[c] - m) ** 2, 0) / train.length) || 1);
  const tldCounts = new Map();
  for (const r of train) if (r.sender) tldCounts.set(r.sender, (tldCounts.get(r.sender) ?? 0) + 1);
  const tlds = [...tldCounts].filter(([, n]) => n >= 3).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 24).map(([t]) => t);
  const tldIndex = new Map(tlds.map((t, i) => [t, width + i]));
  let size = width + tlds.length;
  const vocabulary = new Map();
  if (withWords) {
    const frequency = new Map();
    for (const r of train) for (const w of words(r.text)) frequency.set(w, (frequency.get(w) ?? 0) + 1);
    for (const [w, n] of [...frequency].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) if (n >= 2 && vocabulary.size < 20000) vocabulary.set(w, size + vocabulary.size);
    size += vocabulary.size;
  }
  const featurize = (row) => {
    const features = new Map(row.meta.map((x, c) => [c, (x - mean[c]) / std[c]]));
    if (tldIndex.has(row.sender)) features.set(tldIndex.get(row.sender), 1);
    if (withWords) {
      const counts = new Map();
      for (const w of words(row.text)) if (vocabulary.has(w)) counts.set(vocabulary.get(w), (counts.get(vocabulary.get(w)) ?? 0) + 1);
      const norm = Math.sqrt([...counts.values()].reduce((s, c) => s + Math.log1p(c) ** 2, 0)) || 1;
      for (const [i, c] of counts) features.set(i, Math.log1p(c) / norm);
    }
    return [...features];
  };
  return { featurize, size };
}

/** Fits every baseline on `train` and scores it on each named evaluation set. */
export function runBaselines(train, sets) {
  const spamShare = train.filter((r) => r.label === 'spam').length / train.length;
  const majority = spamShare > 0.5 ? 'spam' : 'ham';
  const models = {
    'majority class': () => () => (majority === 'spam' ? 1 : 0),
    'naive Bayes (words)': () => {
      const predict = fitNaiveBayes(train);
      return (row) => predict(row.text);
    },
    'logistic regression (metadata)': () => {
      const { featurize, size } = featurizer(train, { withWords: false });
      const predict = fitLogistic(train.map(featurize), train.map((r) => (r.label === 'spam' ? 1 : 0)), size);
      return (row) => predict(featurize(row));
    },
    'logistic regression (words + metadata)': () => {
      const { featurize, size } = featurizer(train, { withWords: true });
      const predict = fitLogistic(train.map(featurize), train.map((r) => (r.label === 'spam' ? 1 : 0)), size);
      return (row) => predict(featurize(row));
    },
  };
  const results = {};
  for (const [name, fit] of Object.entries(models)) {
    const predict = fit();
    results[name] = Object.fromEntries(Object.entries(sets).map(([set, rows]) => [set, scoreSpam(rows.map((r) => r.label), rows.map(predict))]));
  }
  return results;
}

async function main() {
  const { values: options } = parseArgs({
    options: {
      data: { type: 'string', default: path.join(appDir, 'data') },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (options.help) {
    console.log(`Usage: node scripts/baselines.mjs [--data DIR] [--json]
Fits the non-neural baselines (majority class, naive Bayes on words, logistic regression on
metadata and on words + metadata) on the training split of DIR/manifest.jsonl and prints
accuracy, F1 (spam), ROC-AUC and average precision on its test split and on DIR/collection2.jsonl.`);
    return;
  }
  const dataDir = path.resolve(options.data);
  for (const file of ['manifest.jsonl', 'collection2.jsonl']) {
    if (!existsSync(path.join(dataDir, file))) {
      console.error(`baselines: ${path.join(dataDir, file)} is missing: run 'node scripts/generate-data.mjs' first.`);
      process.exit(2);
    }
  }
  const rows = await readJsonl(path.join(dataDir, 'manifest.jsonl'));
  const train = rows.filter((r) => r.split === 'train');
  const sets = { test: rows.filter((r) => r.split === 'test'), collection2: await readJsonl(path.join(dataDir, 'collection2.jsonl')) };
  const results = runBaselines(train, sets);
  if (options.json) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  const f = (x) => x.toFixed(3);
  for (const set of Object.keys(sets)) {
    console.log(`\n${set} (${sets[set].length} emails)\n| baseline | accuracy | F1 (spam) | ROC-AUC | average precision |\n| --- | --- | --- | --- | --- |`);
    for (const [name, r] of Object.entries(results)) console.log(`| ${name} | ${f(r[set].accuracy)} | ${f(r[set].f1)} | ${f(r[set].rocAuc)} | ${f(r[set].averagePrecision)} |`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`baselines: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
