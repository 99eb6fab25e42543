// Benchmark of @polyfuse/metrics. Build first, then run from the repo root:
//   npx tsc -b packages/metrics && node bench/metrics/run.mjs
// Prints time and throughput; with Debian's /usr/bin/python3 (scikit-learn)
// present it also times sklearn on the same 1,000,000 scores.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { averagePrecisionScore, cocoEvaluate, corpusBleu, rocAucScore } from '../../packages/metrics/dist/index.js';

/** Deterministic LCG in [0, 1). */
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = lcg(42);

function time(label, fn, units, unitName) {
  fn(); // warm-up run (JIT), not timed
  const start = performance.now();
  const result = fn();
  const seconds = (performance.now() - start) / 1000;
  console.log(`${label}: ${seconds.toFixed(3)} s, ${Math.round(units / seconds).toLocaleString('en-US')} ${unitName}/s`);
  return { result, seconds };
}

// --- corpusBleu: 100,000 sentence pairs of ~20 words (vocabulary of 2,000 words, punctuation for 13a).
const vocab = Array.from({ length: 2000 }, (_, i) => `w${i.toString(36)}`);
const sentence = () => {
  const n = 10 + Math.floor(rand() * 20);
  const words = Array.from({ length: n }, () => vocab[Math.floor(rand() ** 2 * vocab.length)]);
  return `${words.join(' ')}.`;
};
const hypotheses = [];
const references = [];
for (let i = 0; i < 100_000; i++) {
  const ref = sentence();
  const hyp = ref
    .split(' ')
    .map((w) => (rand() < 0.25 ? vocab[Math.floor(rand() * vocab.length)] : w))
    .join(' ');
  hypotheses.push(hyp);
  references.push([ref]);
}
const bleu = time('corpusBleu, 100,000 sentence pairs', () => corpusBleu(hypotheses, references), 100_000, 'sentences');
console.log(`  BLEU = ${bleu.result.score.toFixed(2)}`);

// --- cocoEvaluate: 5,000 images × 100 detections, 80 categories, ~7 ground truths per image.
const images = Array.from({ length: 5000 }, (_, i) => ({ id: i + 1 }));
const categories = Array.from({ length: 80 }, (_, i) => ({ id: i + 1 }));
const annotations = [];
const detections = [];
for (const { id } of images) {
  const gts = [];
  const count = 1 + Math.floor(rand() * 13);
  for (let g = 0; g < count; g++) {
    const w = 4 + rand() * 200;
    const h = 4 + rand() * 200;
    const a = { image_id: id, category_id: 1 + Math.floor(rand() * 80), bbox: [rand() * 400, rand() * 400, w, h], area: w * h * 0.8, iscrowd: rand() < 0.02 ? 1 : 0 };
    gts.push(a);
    annotations.push(a);
  }
  for (let d = 0; d < 100; d++) {
    if (d < gts.length * 3 && rand() < 0.8) {
      const g = gts[d % gts.length];
      const [x, y, w, h] = g.bbox;
      const j = () => (rand() - 0.5) * 0.3;
      detections.push({ image_id: id, category_id: g.category_id, bbox: [x + j() * w, y + j() * h, w * (1 + j()), h * (1 + j())], score: rand() });
    } else {
      detections.push({ image_id: id, category_id: 1 + Math.floor(rand() * 80), bbox: [rand() * 500, rand() * 500, 4 + rand() * 150, 4 + rand() * 150], score: rand() * 0.7 });
    }
  }
}
const coco = time('cocoEvaluate, 5,000 images × 100 detections', () => cocoEvaluate({ images, categories, annotations, detections }), 5000, 'images');
console.log(`  AP = ${coco.result.stats[0].toFixed(4)}, AP50 = ${coco.result.stats[1].toFixed(4)}`);

// --- averagePrecisionScore / rocAucScore on 1,000,000 scores (float64, some ties).
const n = 1_000_000;
const yTrue = new Uint8Array(n);
const yScore = new Float64Array(n);
for (let i = 0; i < n; i++) {
  yTrue[i] = rand() < 0.3 ? 1 : 0;
  yScore[i] = Math.round((rand() + yTrue[i] * 0.4) * 1e6) / 1e6;
}
const labels = Array.from(yTrue);
const ap = time('averagePrecisionScore, 1,000,000 scores', () => averagePrecisionScore(labels, yScore), n, 'scores');
const auc = time('rocAucScore, 1,000,000 scores', () => rocAucScore(labels, yScore), n, 'scores');
console.log(`  AP = ${ap.result}, AUC = ${auc.result}`);

if (existsSync('/usr/bin/python3')) {
  const dir = mkdtempSync(join(tmpdir(), 'polyfuse-metrics-bench-'));
  try {
    writeFileSync(join(dir, 'y.bin'), yTrue);
    writeFileSync(join(dir, 's.bin'), new Uint8Array(yScore.buffer));
    const script = `
import time, numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score
y = np.fromfile(${JSON.stringify(join(dir, 'y.bin'))}, dtype=np.uint8).astype(np.int64)
s = np.fromfile(${JSON.stringify(join(dir, 's.bin'))}, dtype=np.float64)
for name, fn in (("average_precision_score", average_precision_score), ("roc_auc_score", roc_auc_score)):
    fn(y, s)
    t = time.perf_counter(); v = fn(y, s); dt = time.perf_counter() - t
    print(f"sklearn {name}, 1,000,000 scores: {dt:.3f} s, {int(len(s) / dt):,} scores/s (value {v!r})")
`;
    const out = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
    process.stdout.write(out.status === 0 ? out.stdout : `sklearn comparison skipped: ${out.stderr.split('\n').slice(-2).join(' ')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
