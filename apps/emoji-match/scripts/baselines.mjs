#!/usr/bin/env node
/**
 * Reference numbers for emoji-match that need no neural network (plain
 * JavaScript, no TensorFlow.js), to read a trained model's recall against.
 *
 * 1. Chance: the expected recall@K of a random ranking, in closed form
 *    (`expectedRandomRecall`) and simulated with a seed (`simulateRandomRecall`).
 *    With P positives among N candidates, a random top-K holds one of them
 *    with probability 1 - C(N-P, K) / C(N, K) (K/N when P = 1).
 * 2. Bag of words + pixels, ridge regression (`fitBowPixelRidge`): a text is
 *    its bag of words (binary, L2-normalised over all its words, then the
 *    words outside the training texts' vocabulary dropped); an image is its pixels area-averaged to a `grid`×`grid`×3 vector.
 *    A linear map from image features to the text vector is fitted by ridge
 *    regression on the training rows (closed form, a D×D Cholesky solve,
 *    D = 3·grid² + 1); a text and an image are scored by the cosine between
 *    the text's bag of words and the bag of words predicted from the image.
 *    It learns nothing about shapes: only which colour layouts go with which
 *    words (yellow round blobs ↔ "face"), so it shows what colour statistics
 *    alone are worth. Unseen words score zero, so an unseen emoji is found
 *    only through the words it shares with training texts.
 *
 * Retrieval protocol (`recallAtK`): every row is a query; the candidates are
 * every row of the evaluated set; a query is a hit when one of its top-K
 * candidates belongs to the same emoji (the `emoji` field: the same emoji in
 * another style is a positive, not a negative). A negative that ties with the
 * best positive ranks above it (pessimistic: an empty text finds nothing).
 *
 * Run `node scripts/baselines.mjs --help` for the command line, which reads
 * data/pairs.jsonl and prints the test recall of each baseline.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeededRandom } from './seeded-random.mjs';

/** Expected recall@K of a uniformly random ranking of `n` candidates of which `positives` are right. */
export function expectedRandomRecall(k, n, positives = 1) {
  if (n <= 0 || positives <= 0) return 0;
  const top = Math.min(k, n);
  if (top > n - positives) return 1;
  // P(no positive in the top K) = prod_{i<K} (N - P - i) / (N - i)
  let miss = 1;
  for (let i = 0; i < top; i++) miss *= (n - positives - i) / (n - i);
  return 1 - miss;
}

/** Mean expected random recall@K when every row is a query and its positives are the rows of its group. */
export function expectedRandomRecallForGroups(groups, k) {
  const sizes = new Map();
  for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  let sum = 0;
  for (const g of groups) sum += expectedRandomRecall(k, groups.length, sizes.get(g));
  return groups.length > 0 ? sum / groups.length : 0;
}

/** Recall@K of random rankings, simulated: `trials` seeded shuffles of the candidates per query. */
export function simulateRandomRecall(groups, k, { seed = 1, trials = 20 } = {}) {
  const rng = new SeededRandom(seed);
  const n = groups.length;
  const order = Array.from({ length: n }, (_, i) => i);
  let hits = 0;
  for (let t = 0; t < trials; t++)
    for (let q = 0; q < n; q++) {
      // A partial Fisher-Yates shuffle draws a random top K.
      const top = Math.min(k, n);
      for (let i = 0; i < top; i++) {
        const j = i + rng.int(n - i);
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (let i = 0; i < top; i++)
        if (groups[order[i]] === groups[q]) {
          hits++;
          break;
        }
    }
  return n > 0 ? hits / (n * trials) : 0;
}

/**
 * Recall@K for each K of `ks`, and the median rank of the first positive
 * (1 = best). `scores[q][c]` is the score of candidate c for query q; a
 * query's positives are the candidates with its group.
 */
export function recallAtK(scores, queryGroups, candidateGroups, ks = [1, 5, 10]) {
  const ranks = [];
  for (let q = 0; q < queryGroups.length; q++) {
    const row = scores[q];
    // Rank of the best-scoring positive: 1 + the negatives scoring as high or higher (ties count against the query).
    let best = -1;
    for (let c = 0; c < candidateGroups.length; c++) if (candidateGroups[c] === queryGroups[q] && (best < 0 || row[c] > row[best])) best = c;
    if (best < 0) {
      ranks.push(Infinity);
      continue;
    }
    let rank = 1;
    for (let c = 0; c < candidateGroups.length; c++) if (candidateGroups[c] !== queryGroups[q] && row[c] >= row[best]) rank++;
    ranks.push(rank);
  }
  const result = {};
  for (const k of ks) result[`recall@${k}`] = ranks.length > 0 ? ranks.filter((r) => r <= k).length / ranks.length : 0;
  const sorted = ranks.slice().sort((a, b) => a - b);
  result['median-rank'] = sorted.length > 0 ? sorted[Math.floor((sorted.length - 1) / 2)] : Infinity;
  return result;
}

/** Lower-case words and numbers of a text. */
export function tokenize(text) {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** word → index, sorted, over the words of `texts` seen at least `minCount` times. */
export function fitVocabulary(texts, minCount = 1) {
  const counts = new Map();
  for (const text of texts) for (const word of new Set(tokenize(text))) counts.set(word, (counts.get(word) ?? 0) + 1);
  const words = [...counts].filter(([, c]) => c >= minCount).map(([w]) => w).sort();
  return new Map(words.map((w, i) => [w, i]));
}

/**
 * Sparse binary bag of words: { indices, values }. Words outside the
 * vocabulary are dropped after normalising, so the vector has norm 1 only
 * when every word is known (a text of mostly unknown words matches weakly
 * instead of matching everything through its one known word).
 */
export function bagOfWords(text, vocabulary) {
  const words = new Set(tokenize(text));
  const indices = [...words].map((w) => vocabulary.get(w)).filter((i) => i !== undefined).sort((a, b) => a - b);
  const value = words.size > 0 ? 1 / Math.sqrt(words.size) : 0;
  return { indices, values: indices.map(() => value) };
}

/**
 * Image features: RGB (or RGBA) pixels of a `width`×`height` image averaged
 * over a `grid`×`grid` raster, in [0, 1], then a constant 1 (the bias).
 */
export function pixelFeatures(pixels, width, height, grid = 8, channels = 4) {
  const out = new Float64Array(grid * grid * 3 + 1);
  const counts = new Float64Array(grid * grid);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const cell = Math.floor((y * grid) / height) * grid + Math.floor((x * grid) / width);
      const i = (y * width + x) * channels;
      for (let c = 0; c < 3; c++) out[cell * 3 + c] += pixels[i + c] / 255;
      counts[cell]++;
    }
  for (let cell = 0; cell < grid * grid; cell++) for (let c = 0; c < 3; c++) out[cell * 3 + c] /= Math.max(1, counts[cell]);
  out[grid * grid * 3] = 1;
  return out;
}

/** Solves (A) X = B for symmetric positive definite A (n×n, row-major Float64Array) and B (n×m), by Cholesky. */
export function choleskySolve(a, b, n, m) {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (sum <= 0) throw new Error('choleskySolve: the matrix is not positive definite.');
        l[i * n + i] = Math.sqrt(sum);
      } else l[i * n + j] = sum / l[j * n + j];
    }
  const x = Float64Array.from(b);
  for (let col = 0; col < m; col++) {
    for (let i = 0; i < n; i++) {
      let sum = x[i * m + col];
      for (let k = 0; k < i; k++) sum -= l[i * n + k] * x[k * m + col];
      x[i * m + col] = sum / l[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = x[i * m + col];
      for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k * m + col];
      x[i * m + col] = sum / l[i * n + i];
    }
  }
  return x;
}

/**
 * Fits the ridge map from image features (rows of `features`, each of length
 * D) to bags of words over `vocabulary` (V words): W = (FᵀF + λI)⁻¹ FᵀT,
 * D×V. The bias feature is not penalised. Returns { vocabulary, weights, d, v, lambda }.
 */
export function fitBowPixelRidge(features, texts, { lambda = 1, vocabulary = fitVocabulary(texts) } = {}) {
  const d = features[0].length;
  const v = vocabulary.size;
  const gram = new Float64Array(d * d);
  const cross = new Float64Array(d * v);
  for (let n = 0; n < features.length; n++) {
    const f = features[n];
    for (let i = 0; i < d; i++) {
      const fi = f[i];
      if (fi === 0) continue;
      for (let j = 0; j < d; j++) gram[i * d + j] += fi * f[j];
    }
    const bow = bagOfWords(texts[n], vocabulary);
    for (let i = 0; i < d; i++) for (let t = 0; t < bow.indices.length; t++) cross[i * v + bow.indices[t]] += f[i] * bow.values[t];
  }
  for (let i = 0; i < d - 1; i++) gram[i * d + i] += lambda;
  gram[(d - 1) * d + (d - 1)] += 1e-9;
  return { vocabulary, weights: choleskySolve(gram, cross, d, v), d, v, lambda };
}

/** Scores[q][c]: cosine between the bag of words of text q and the bag of words the model predicts for image c. */
export function scoreTextsAgainstImages(model, texts, features) {
  const { weights, d, v, vocabulary } = model;
  const predicted = features.map((f) => {
    const p = new Float64Array(v);
    for (let i = 0; i < d; i++) {
      const fi = f[i];
      if (fi === 0) continue;
      for (let w = 0; w < v; w++) p[w] += fi * weights[i * v + w];
    }
    let norm = 0;
    for (let w = 0; w < v; w++) norm += p[w] * p[w];
    norm = Math.sqrt(norm) || 1;
    for (let w = 0; w < v; w++) p[w] /= norm;
    return p;
  });
  return texts.map((text) => {
    const bow = bagOfWords(text, vocabulary);
    return predicted.map((p) => {
      let s = 0;
      for (let t = 0; t < bow.indices.length; t++) s += bow.values[t] * p[bow.indices[t]];
      return s;
    });
  });
}

/** The transpose of a scores matrix (text→image scores become image→text scores). */
export function transpose(scores) {
  return scores.length === 0 ? [] : scores[0].map((_, c) => scores.map((row) => row[c]));
}

/** Reads pairs.jsonl and the image features of its rows (needs pngjs). */
async function loadRows(dataDir, grid) {
  const { PNG } = await import('pngjs');
  const rows = readFileSync(path.join(dataDir, 'pairs.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  for (const row of rows) {
    const png = PNG.sync.read(readFileSync(path.join(dataDir, row.image)));
    row.features = pixelFeatures(png.data, png.width, png.height, grid, 4);
  }
  return rows;
}

const format = (metrics) =>
  `R@1 ${(100 * metrics['recall@1']).toFixed(1).padStart(5)}%  R@5 ${(100 * metrics['recall@5']).toFixed(1).padStart(5)}%  R@10 ${(100 * metrics['recall@10']).toFixed(1).padStart(5)}%  median rank ${metrics['median-rank']}`;

async function main() {
  const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const { values: options } = parseArgs({
    options: {
      data: { type: 'string', default: path.join(appDir, 'data') },
      grid: { type: 'string', default: '8' },
      lambdas: { type: 'string', default: '0.01,0.1,1,10' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (options.help) {
    console.log(`Usage: node scripts/baselines.mjs [options]
Chance recall and a bag-of-words + pixels ridge baseline on emoji-match (text → image and image → text).
  --data DIR        the generated data (default apps/emoji-match/data)
  --grid N          image features: pixels averaged on an N×N grid (default 8)
  --lambdas LIST    ridge strengths tried; the best validation text→image R@10 is kept (default 0.01,0.1,1,10)
  --seed N          seed of the simulated random ranking (default 1)
  --json            print JSON instead of a table`);
    return;
  }
  const grid = Number(options.grid);
  const rows = await loadRows(path.resolve(options.data), grid);
  const split = (name) => rows.filter((r) => r.split === name);
  const train = split('train');
  const evaluate = (model, set) => {
    const scores = scoreTextsAgainstImages(model, set.map((r) => r.text), set.map((r) => r.features));
    const groups = set.map((r) => r.emoji);
    return { textToImage: recallAtK(scores, groups, groups), imageToText: recallAtK(transpose(scores), groups, groups) };
  };
  const vocabulary = fitVocabulary(train.map((r) => r.text));
  let best = null;
  for (const lambda of options.lambdas.split(',').map(Number)) {
    const model = fitBowPixelRidge(train.map((r) => r.features), train.map((r) => r.text), { lambda, vocabulary });
    const val = evaluate(model, split('val'));
    if (!best || val.textToImage['recall@10'] > best.val.textToImage['recall@10']) best = { model, lambda, val };
  }
  const test = split('test');
  const subsets = {
    'test (all)': test,
    'test: seen emoji, unseen style': test.filter((r) => r.emojiSeen && !r.styleSeen),
    'test: unseen emoji, unseen style': test.filter((r) => !r.emojiSeen && !r.styleSeen),
    'test: unseen emoji, seen styles': test.filter((r) => !r.emojiSeen && r.styleSeen),
    val: split('val'),
  };
  const report = { lambda: best.lambda, vocabulary: vocabulary.size, grid, sets: {} };
  for (const [name, set] of Object.entries(subsets)) {
    if (set.length === 0) continue;
    const groups = set.map((r) => r.emoji);
    const chance = Object.fromEntries([1, 5, 10].map((k) => [`recall@${k}`, expectedRandomRecallForGroups(groups, k)]));
    const simulated = Object.fromEntries([1, 5, 10].map((k) => [`recall@${k}`, simulateRandomRecall(groups, k, { seed: Number(options.seed) })]));
    report.sets[name] = { rows: set.length, emoji: new Set(groups).size, chance, simulated, bowPixelRidge: evaluate(best.model, set) };
  }
  if (options.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(`bag of words (${vocabulary.size} training words) + ${grid}×${grid} pixels, ridge λ=${best.lambda} (best validation text→image R@10)`);
  for (const [name, r] of Object.entries(report.sets)) {
    console.log(`\n${name}: ${r.rows} rows, ${r.emoji} emoji (candidates: these rows)`);
    console.log(`  chance, expected        R@1 ${(100 * r.chance['recall@1']).toFixed(2)}%  R@5 ${(100 * r.chance['recall@5']).toFixed(2)}%  R@10 ${(100 * r.chance['recall@10']).toFixed(2)}%`);
    console.log(`  chance, simulated       R@1 ${(100 * r.simulated['recall@1']).toFixed(2)}%  R@5 ${(100 * r.simulated['recall@5']).toFixed(2)}%  R@10 ${(100 * r.simulated['recall@10']).toFixed(2)}%`);
    console.log(`  BoW+pixels text→image   ${format(r.bowPixelRidge.textToImage)}`);
    console.log(`  BoW+pixels image→text   ${format(r.bowPixelRidge.imageToText)}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`emoji-match baselines: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
