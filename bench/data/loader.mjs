// Throughput of @polyfuse/data's streaming loader: samples/s reading and
// preprocessing small files, by concurrency, with a cold and a warm on-disk
// feature cache. Build first:  npx tsc -b packages/data
// Run:  node bench/data/loader.mjs [samples=2000]
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { initBackend, registry } from '../../packages/core/dist/index.js';
import { loadDataset, disposeBatch } from '../../packages/data/dist/node.js';

const count = Number(process.argv[2] ?? 2000);
const size = 256;
await initBackend({ log: null });

// Two preprocessors: `cheap` reads a file and scales bytes (cheaper than hashing it for the cache);
// `costly` also spends ~1 ms of CPU per sample, like decoding a PNG or computing a log-mel spectrogram.
for (const [name, work] of [['cheap', 0], ['costly', 20000]]) {
  registry.register({
    kind: 'preprocessor',
    name,
    create: () => ({
      outputShape: [size],
      dtype: 'float32',
      config: {},
      async process(value, context) {
        const bytes = await fs.readFile(path.resolve(context.baseDir, value));
        const out = new Float32Array(size);
        for (let i = 0; i < size; i++) out[i] = bytes[i] / 255;
        let acc = 0;
        for (let k = 0; k < work; k++) acc += Math.sin(k * out[k % size]);
        out[0] += acc * 0;
        return out;
      },
    }),
  });
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-bench-data-'));
const lines = [];
for (let i = 0; i < count; i++) {
  const bytes = new Uint8Array(size).map((_, j) => (i * 31 + j * 7) % 256);
  await fs.writeFile(path.join(dir, `s${i}.bin`), bytes);
  lines.push(JSON.stringify({ x: `s${i}.bin`, label: i % 10, split: 'train' }));
}
await fs.writeFile(path.join(dir, 'manifest.jsonl'), lines.join('\n'));

/** Samples per second over the last of `epochs` epochs through a fresh dataset. */
async function epoch(spec, epochs = 1) {
  const dataset = await loadDataset(spec);
  const loader = dataset.loader('train', { batchSize: 32, shuffle: true });
  let rate = 0;
  for (let e = 0; e < epochs; e++) {
    const start = performance.now();
    let samples = 0;
    for await (const batch of loader.batches(e)) {
      samples += batch.ids.length;
      disposeBatch(batch);
    }
    rate = samples / ((performance.now() - start) / 1000);
  }
  return rate;
}

console.log(`${count} samples of ${size} floats, batch 32, ${os.cpus().length} CPUs`);
for (const name of ['cheap', 'costly']) {
  const base = { manifest: path.join(dir, 'manifest.jsonl'), modalities: { x: { preprocessor: { name } } }, labels: { label: {} }, split: { field: 'split' } };
  for (const concurrency of [1, 8, 32]) {
    console.log(`${name}: no cache, concurrency ${concurrency}: ${(await epoch({ ...base, concurrency })).toFixed(0)} samples/s`);
  }
  const cacheDir = path.join(dir, `cache-${name}`);
  console.log(`${name}: disk cache cold (writes), concurrency 8: ${(await epoch({ ...base, concurrency: 8, cacheDir })).toFixed(0)} samples/s`);
  console.log(`${name}: disk cache warm, concurrency 8: ${(await epoch({ ...base, concurrency: 8, cacheDir })).toFixed(0)} samples/s`);
  console.log(`${name}: in-memory cache, 2nd epoch: ${(await epoch({ ...base, concurrency: 8, cacheInMemory: true }, 2)).toFixed(0)} samples/s`);
}
await fs.rm(dir, { recursive: true, force: true });
