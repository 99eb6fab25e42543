// @polyfuse/metrics against its Python references, on the same inputs, in one run:
//   pnpm bench:metrics            (builds packages/metrics first)
//   node bench/metrics/run.mjs [--rounds 5] [--only ap,auc]
// The inputs are generated here, written to a temporary folder and read by a
// Python child (bench/metrics/reference.py, /usr/bin/python3) that times only
// the metric call. Rounds interleave the two sides (polyfuse first in odd
// rounds, Python first in even ones); each side's figure is its median round.
// References that are not installed (sacrebleu, pycocotools) leave their
// column empty. Values are compared too: `max |Δ|` is the largest absolute
// difference between the two sides' values (0 means identical to the bit).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  averagePrecisionScore,
  cocoEvaluate,
  corpusBleu,
  precisionRecallFscoreSupport,
  rocAucScore,
} from '../../packages/metrics/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const python = process.env.POLYFUSE_BENCH_PYTHON ?? '/usr/bin/python3';
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
};
const rounds = Number(arg('rounds', 5));
const only = arg('only', '')?.split(',').filter(Boolean);

/** Deterministic LCG in [0, 1) (32 bits), and a 53-bit variant for distinct float64 scores. */
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = lcg(42);
const rand53 = () => (Math.floor(rand() * 2 ** 26) * 2 ** 27 + Math.floor(rand() * 2 ** 27)) / 2 ** 53;

const dir = mkdtempSync(join(tmpdir(), 'polyfuse-metrics-bench-'));
const write = (name, data) => writeFileSync(join(dir, name), data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));

// --- Binary ranking inputs, 1,000,000 scores each (30% positives).
function binaryInput(name, score) {
  const n = 1_000_000;
  const y = new Uint8Array(n);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rand() < 0.3 ? 1 : 0;
    s[i] = score(y[i]);
  }
  write(`${name}.y`, y);
  write(`${name}.s`, s);
  return { labels: Array.from(y), scores: s };
}
// ties: scores rounded to 1e-6 (many tied groups), as in the issue.
const ties = binaryInput('ties', (y) => Math.round((rand() + y * 0.4) * 1e6) / 1e6);
// distinct: 53-bit uniform scores, practically no ties.
const distinct = binaryInput('distinct', (y) => rand53() * (y ? 1.2 : 1));
// wide: exp of a spread-out logit, scores over ~60 orders of magnitude, signs mixed, and -0/0 ties.
const wide = binaryInput('wide', (y) => {
  const u = rand();
  if (u < 0.01) return u < 0.005 ? -0 : 0;
  return (rand() < 0.1 ? -1 : 1) * Math.exp((rand53() - 0.5 + y * 0.1) * 140);
});

// --- Multilabel: 100,000 rows × 10 labels, macro average over the columns.
const mlRows = 100_000;
const mlCols = 10;
const mlY = new Uint8Array(mlRows * mlCols);
const mlS = new Float64Array(mlRows * mlCols);
for (let i = 0; i < mlY.length; i++) {
  mlY[i] = rand() < 0.2 ? 1 : 0;
  mlS[i] = Math.round((rand() + mlY[i] * 0.3) * 1e4) / 1e4;
}
write('multilabel.y', mlY);
write('multilabel.s', mlS);
writeFileSync(join(dir, 'multilabel.json'), JSON.stringify({ rows: mlRows, cols: mlCols }));
const mlLabels = Array.from({ length: mlRows }, (_, i) => Array.from(mlY.subarray(i * mlCols, (i + 1) * mlCols)));
const mlScores = Array.from({ length: mlRows }, (_, i) => Array.from(mlS.subarray(i * mlCols, (i + 1) * mlCols)));

// --- P/R/F macro: 1,000,000 labels of 10 classes, 70% of predictions right.
const prfT = new Uint8Array(1_000_000);
const prfP = new Uint8Array(1_000_000);
for (let i = 0; i < prfT.length; i++) {
  prfT[i] = Math.floor(rand() * 10);
  prfP[i] = rand() < 0.7 ? prfT[i] : Math.floor(rand() * 10);
}
write('prf.t', prfT);
write('prf.p', prfP);
const prfTrue = Array.from(prfT);
const prfPred = Array.from(prfP);

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
  hypotheses.push(ref.split(' ').map((w) => (rand() < 0.25 ? vocab[Math.floor(rand() * vocab.length)] : w)).join(' '));
  references.push([ref]);
}
writeFileSync(join(dir, 'bleu.json'), JSON.stringify({ hypotheses, references }));

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
    const a = { id: annotations.length + 1, image_id: id, category_id: 1 + Math.floor(rand() * 80), bbox: [rand() * 400, rand() * 400, w, h], area: w * h * 0.8, iscrowd: rand() < 0.02 ? 1 : 0 };
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
writeFileSync(join(dir, 'coco.json'), JSON.stringify({ images, categories, annotations, detections }));

/** Each benchmark: the polyfuse call, its Python reference (metric name in reference.py) and the reference's name. */
const benchmarks = [
  { id: 'ap', label: 'averagePrecisionScore, 1M scores with ties', reference: 'sklearn 1.2', run: () => averagePrecisionScore(ties.labels, ties.scores) },
  { id: 'auc', label: 'rocAucScore, 1M scores with ties', reference: 'sklearn 1.2', run: () => rocAucScore(ties.labels, ties.scores) },
  { id: 'ap-distinct', label: 'averagePrecisionScore, 1M distinct scores', reference: 'sklearn 1.2', run: () => averagePrecisionScore(distinct.labels, distinct.scores) },
  { id: 'auc-distinct', label: 'rocAucScore, 1M distinct scores', reference: 'sklearn 1.2', run: () => rocAucScore(distinct.labels, distinct.scores) },
  { id: 'ap-wide', label: 'averagePrecisionScore, 1M scores over 60 orders of magnitude', reference: 'sklearn 1.2', run: () => averagePrecisionScore(wide.labels, wide.scores) },
  { id: 'auc-wide', label: 'rocAucScore, 1M scores over 60 orders of magnitude', reference: 'sklearn 1.2', run: () => rocAucScore(wide.labels, wide.scores) },
  { id: 'ap-multilabel', label: 'averagePrecisionScore macro, 100k × 10 multilabel', reference: 'sklearn 1.2', run: () => averagePrecisionScore(mlLabels, mlScores) },
  { id: 'auc-multilabel', label: 'rocAucScore macro, 100k × 10 multilabel', reference: 'sklearn 1.2', run: () => rocAucScore(mlLabels, mlScores) },
  {
    id: 'prf',
    label: 'precisionRecallFscoreSupport macro, 1M labels, 10 classes',
    reference: 'sklearn 1.2',
    run: () => {
      const r = precisionRecallFscoreSupport(prfTrue, prfPred, { average: 'macro' });
      return [r.precision, r.recall, r.fscore];
    },
  },
  { id: 'bleu', label: 'corpusBleu, 100k sentence pairs', reference: 'sacrebleu 2.x', run: () => corpusBleu(hypotheses, references).score },
  { id: 'coco', label: 'cocoEvaluate bbox, 5k images × 100 detections', reference: 'pycocotools', run: () => cocoEvaluate({ images, categories, annotations, detections }).stats[0] },
].filter((b) => !only?.length || only.includes(b.id));

function timePolyfuse(b) {
  b.run(); // warm-up (JIT), not timed
  const start = performance.now();
  const value = b.run();
  return { seconds: (performance.now() - start) / 1000, value };
}

function timePython() {
  const out = spawnSync(python, [join(here, 'reference.py'), dir, ...benchmarks.map((b) => b.id)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.error || out.status !== 0) {
    const why = out.error?.message ?? out.stderr.trim().split('\n').slice(-1)[0];
    console.log(`Python reference failed: ${why}`);
    return new Map();
  }
  return new Map(out.stdout.trim().split('\n').map((line) => JSON.parse(line)).map((r) => [r.metric, r]));
}

const started = new Date();
const load = loadavg().map((l) => l.toFixed(2)).join(', ');
const results = new Map(benchmarks.map((b) => [b.id, { polyfuse: [], python: [], pyValue: undefined, value: undefined, skipped: undefined }]));
try {
  for (let r = 0; r < rounds; r++) {
    const sides = r % 2 === 0 ? ['polyfuse', 'python'] : ['python', 'polyfuse'];
    for (const side of sides) {
      if (side === 'polyfuse') {
        for (const b of benchmarks) {
          const { seconds, value } = timePolyfuse(b);
          const res = results.get(b.id);
          res.polyfuse.push(seconds);
          res.value = value;
        }
      } else {
        const py = timePython();
        for (const b of benchmarks) {
          const res = results.get(b.id);
          const p = py.get(b.id);
          if (p === undefined) res.skipped ??= 'no result';
          else if (p.skipped) res.skipped = p.skipped;
          else {
            res.python.push(p.seconds);
            res.pyValue = p.value;
          }
        }
      }
    }
    process.stderr.write(`round ${r + 1}/${rounds} done\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (s) => (s * 1000).toFixed(1);
const maxAbsDiff = (a, b) => {
  const xs = [a].flat();
  const ys = [b].flat();
  if (xs.length !== ys.length) return 'shape differs';
  return Math.max(...xs.map((x, i) => Math.abs(x - ys[i])));
};

console.log(`\n@polyfuse/metrics vs Python references: ${rounds} interleaved rounds, median round; ${started.toISOString()}; Node ${process.version}; load average at start ${load}, at end ${loadavg().map((l) => l.toFixed(2)).join(', ')}\n`);
console.log('| metric | polyfuse ms (median) | reference | reference ms (median) | speed-up | max abs diff | polyfuse rounds ms | reference rounds ms |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const b of benchmarks) {
  const r = results.get(b.id);
  const pf = median(r.polyfuse);
  if (r.python.length === 0) {
    console.log(`| ${b.label} | ${ms(pf)} | ${b.reference}: ${r.skipped ?? 'not run'} | | | | ${r.polyfuse.map(ms).join(', ')} | |`);
    continue;
  }
  const py = median(r.python);
  console.log(
    `| ${b.label} | ${ms(pf)} | ${b.reference} | ${ms(py)} | ${(py / pf).toFixed(1)}× | ${maxAbsDiff(r.value, r.pyValue)} | ${r.polyfuse.map(ms).join(', ')} | ${r.python.map(ms).join(', ')} |`,
  );
}
console.log('');
for (const b of benchmarks) {
  const r = results.get(b.id);
  console.log(JSON.stringify({ metric: b.id, polyfuse_ms: median(r.polyfuse) * 1000, reference_ms: r.python.length ? median(r.python) * 1000 : null, value: r.value, reference_value: r.pyValue ?? null }));
}
