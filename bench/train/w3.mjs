// W3 of issue 9: the av-digits app's own training, end to end, data loading
// included. Builds the pipeline from apps/av-digits/config.yaml with the CLI's
// own functions (loadConfig → toDatasetSpec → @polyfuse/data loadDataset →
// createMultimodalModel → registry-built losses/optimizer/weighting → Trainer
// with the CLI's training loader), on the first `batches` × 64 training
// samples, and times each epoch: epoch 1 is cold (PNG/WAV decoding and
// log-mel on every sample), later epochs are warm (JIT and kernels warmed up;
// note the CLI's loader decodes again in every epoch, see --cached). Prints one JSON line.
// Needs `pnpm build` first (imports packages' dist). Run by run.mjs; alone:
//   node bench/train/w3.mjs [--backend wasm] [--batches 20] [--epochs 4] [--data DIR] [--cached]
// See bench/README.md, "W3".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig, toDatasetSpec, inputSpecs } from '../../packages/cli/dist/index.js';
import { tf, initBackend, createMultimodalModel, registry } from '../../packages/core/dist/index.js';
import { loadDataset } from '../../packages/data/dist/node.js';
import { Trainer } from '../../packages/trainer/dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    // 20 batches of 64 = 1,280 samples per epoch; 1 cold + 3 warm epochs take about a minute on wasm here.
    batches: { type: 'string', default: '20' },
    epochs: { type: 'string', default: '4' },
    data: { type: 'string' },
    // Diagnostic: train from the in-memory cache. The CLI's training loader passes augment: true, which
    // bypasses cacheInMemory, so its warm epochs decode again; config.yaml configures no augmentation, so
    // the batches are the same either way.
    cached: { type: 'boolean', default: false },
  },
});
const batches = Number(args.batches);
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

const choice = await initBackend({ backend: args.backend, log: null });
const started = performance.now();

// As the CLI's trainRun (packages/cli/src/training/trainRun.ts), minus the run folder's
// checkpoint/log/progress callbacks and validation, which are file I/O rather than training.
const full = toDatasetSpec(config.data, config.baseDir, config.training.seed);
// The subset has no validation rows; without this the split would carve 10% of them out of train.
const spec = { ...full, manifest, split: { ...full.split, fractions: { ...full.split.fractions, validation: 0, test: 0 } } };
const dataset = await loadDataset(spec);
const model = createMultimodalModel(config.model);
inputSpecs(model, dataset);
const losses = Object.entries(config.loss.terms).map(([name, term]) => ({
  name,
  loss: registry.create('loss', term.loss, term.config, `loss.terms.${name}.config`),
  output: term.output,
  target: term.target,
}));
const metrics = config.metrics.map((m, i) => registry.create('metric', m.name, m.config, `metrics[${i}].config`));
const train = dataset.loader('train', { batchSize, shuffle: true, augment: !args.cached });
const epochSeconds = [];
const epochCpuSeconds = [];
let epochStart = 0;
let cpuStart;
const timer = {
  name: 'w3-timer',
  onEpochBegin() {
    epochStart = performance.now();
    cpuStart = process.cpuUsage();
  },
  onEpochEnd() {
    epochSeconds.push((performance.now() - epochStart) / 1000);
    const cpu = process.cpuUsage(cpuStart);
    epochCpuSeconds.push((cpu.user + cpu.system) / 1e6);
  },
};
const trainer = new Trainer({
  model,
  losses,
  optimizer: registry.create('optimizer', config.optimizer.name, config.optimizer.config, 'optimizer.config'),
  weighting: registry.create('weighting', config.loss.weighting.name, config.loss.weighting.config, 'loss.weighting.config'),
  metrics,
  callbacks: [timer],
  seed: config.training.seed,
});
const result = await trainer.fit(train, { epochs });

// Data loading alone, one more pass of the same loader: how much of an epoch is decoding.
const dataStart = performance.now();
for await (const batch of train.batches(epochs)) tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
const dataSeconds = (performance.now() - dataStart) / 1000;
trainer.dispose();
model.dispose();

const samples = dataset.splits.train.length;
const round = (x) => Math.round(x * 10) / 10;
// The median warm epoch (upper median when even), as W1/W2 take the median block: steadier on a busy machine.
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  JSON.stringify({
    workload: 'W3',
    impl: `polyfuse-${choice.name}`,
    // The table's figure: a warm epoch (the steady state of the app's 8-epoch run).
    samples_per_s: round(samples / median(epochSeconds.slice(1))),
    cold_samples_per_s: round(samples / epochSeconds[0]),
    samples_per_cpu_s: round(samples / median(epochCpuSeconds.slice(1))),
    data_only_samples_per_s: round(samples / dataSeconds),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    samples_per_epoch: samples,
    epochs,
    epoch_seconds: epochSeconds.map((s) => Math.round(s * 100) / 100),
    final_loss: Math.round(result.history.at(-1).values['loss.total'] * 1000) / 1000,
    total_seconds: round((performance.now() - started) / 1000),
    data: path.relative(root, dataDir),
    loader: args.cached ? 'cached (--cached)' : 'cli (augment: true, no cache)',
  }),
);
