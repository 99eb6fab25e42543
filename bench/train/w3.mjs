// W3 of issue 9: the av-digits app's own training, end to end, data loading
// included. Builds the pipeline from apps/av-digits/config.yaml with the CLI's
// own functions (loadConfig → toDatasetSpec → @polyfuse/data loadDataset →
// createMultimodalModel → registry-built losses/optimizer/weighting → Trainer
// with the CLI's training loader), on the first `batches` × 64 training
// samples, and times each epoch: epoch 1 is cold (PNG/WAV decoding and
// log-mel on every sample), later epochs are warm (from the in-memory cache
// that config.yaml asks for). With --replicas N it trains data-parallel in N
// threads, as `polyfuse train --replicas N` does (w3Replica.mjs). Prints one JSON line.
// Needs `pnpm build` first (imports packages' dist). Run by run.mjs; alone:
//   node bench/train/w3.mjs [--backend wasm] [--replicas 1] [--batches 20] [--epochs 4] [--data DIR]
// See bench/README.md, "W3".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../packages/cli/dist/index.js';
import { runReplicas } from '../../packages/trainer/dist/node.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    // 20 batches of 64 = 1,280 samples per epoch; 1 cold + 3 warm epochs take about a minute on wasm here.
    batches: { type: 'string', default: '20' },
    epochs: { type: 'string', default: '4' },
    data: { type: 'string' },
    replicas: { type: 'string', default: '1' },
  },
});
const batches = Number(args.batches);
const replicas = Number(args.replicas);
if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`--replicas must be a positive integer, got ${args.replicas}`);
const epochs = Number(args.epochs);
if (!Number.isInteger(batches) || batches < 1) throw new Error(`--batches must be a positive integer, got ${args.batches}`);
if (!Number.isInteger(epochs) || epochs < 2) throw new Error(`--epochs must be an integer >= 2 (one cold, at least one warm), got ${args.epochs}`);

/** Stops with one `Error: ` line on stderr, which run.mjs shows as the reason W3 was skipped. */
function fail(message) {
  console.error(`Error: ${message}`);
  process.exit(2);
}

/** Training rows of a manifest's text, in file order. */
function trainRows(text) {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line))
    .filter((row) => row.split === 'train');
}

/**
 * The first `count` training rows of the manifest as JSONL, with their image and
 * audio paths made absolute so the subset manifest can live under bench/results.
 * pytorch_w3.py takes the same rows.
 */
function trainSubset(text, dataDir, count) {
  return trainRows(text)
    .slice(0, count)
    .map((row) => JSON.stringify({ ...row, image: path.resolve(dataDir, row.image), audio: path.resolve(dataDir, row.audio) }))
    .join('\n') + '\n';
}

const enough = (dir, count) => existsSync(path.join(dir, 'manifest.jsonl')) && trainRows(readFileSync(path.join(dir, 'manifest.jsonl'), 'utf8')).length >= count;

/**
 * Where the av-digits data is: `--data DIR`, else the app's own data folder
 * (`node apps/av-digits/scripts/generate-data.mjs`), else a bench-owned subset in
 * bench/results/w3/data, generated here once with `--max-per-digit 200`
 * (~1,400 training samples, about 1.5 minutes, needs espeak-ng) and reused.
 */
function resolveData(data, count) {
  if (data) {
    const dir = path.resolve(data);
    if (!enough(dir, count)) fail(`--data ${dir}: need a manifest.jsonl with at least ${count} training rows there.`);
    return dir;
  }
  const app = path.join(root, 'apps/av-digits/data');
  if (enough(app, count)) return app;
  const own = path.join(root, 'bench/results/w3/data');
  if (enough(own, count)) return own;
  if (spawnSync('espeak-ng', ['--version']).status !== 0) {
    fail(
      `W3 needs the av-digits data and there is none at ${app}. Generating it needs espeak-ng (sudo apt-get install espeak-ng), then run node apps/av-digits/scripts/generate-data.mjs, or pass --data DIR.`,
    );
  }
  console.error(`W3: no av-digits data at ${app}; generating a subset into ${own} (once, about 1.5 minutes)`);
  const script = path.join(root, 'apps/av-digits/scripts/generate-data.mjs');
  const generated = spawnSync(process.execPath, [script, '--max-per-digit', '200', '--out', own], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (generated.status !== 0 || !enough(own, count)) fail(`generating the W3 data with ${script} failed (exit ${generated.status}).`);
  return own;
}

const config = await loadConfig(path.join(root, 'apps/av-digits/config.yaml'));
const batchSize = config.training.batchSize;
const dataDir = resolveData(args.data, batches * batchSize);
// The bounded subset: the first batches × batchSize training rows of the manifest, paths made absolute.
const subsetDir = path.join(root, 'bench/results/w3');
mkdirSync(subsetDir, { recursive: true });
const manifest = path.join(subsetDir, `train-${batches * batchSize}.jsonl`);
writeFileSync(manifest, trainSubset(readFileSync(path.join(dataDir, 'manifest.jsonl'), 'utf8'), dataDir, batches * batchSize));

const started = performance.now();
const [timings] = await runReplicas({
  replicas,
  module: new URL('./w3Replica.mjs', import.meta.url),
  data: { configFile: path.join(root, 'apps/av-digits/config.yaml'), manifest, backend: args.backend, epochs },
});
const { backend, samples, epochSeconds, epochCpuSeconds, dataSeconds, finalLoss } = timings;

const round = (x) => Math.round(x * 10) / 10;
// The median warm epoch (upper median when even), as W1/W2 take the median block: steadier on a busy machine.
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  JSON.stringify({
    workload: 'W3',
    impl: replicas > 1 ? `polyfuse-${backend}-dp${replicas}` : `polyfuse-${backend}`,
    // The table's figure: a warm epoch (the steady state of the app's 8-epoch run).
    samples_per_s: round(samples / median(epochSeconds.slice(1))),
    cold_samples_per_s: round(samples / epochSeconds[0]),
    samples_per_cpu_s: round(samples / median(epochCpuSeconds.slice(1))),
    data_only_samples_per_s: round(samples / dataSeconds),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    samples_per_epoch: samples,
    epochs,
    epoch_seconds: epochSeconds.map((s) => Math.round(s * 100) / 100),
    final_loss: Math.round(finalLoss * 1000) / 1000,
    total_seconds: round((performance.now() - started) / 1000),
    data: path.relative(root, dataDir),
    replicas,
  }),
);
