// Decoding throughput on real files: the av-digits manifest (PNG digits +
// WAV speech) through preprocessor/image and preprocessor/audio-logmel, with
// no cache, a cold disk cache (decode + write) and a warm one (hash + read).
// Build first:  npx tsc -b packages/data packages/image packages/audio
// Run:  node bench/data/avDigits.mjs [samples=1024]
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../../packages/core/dist/index.js';
import '../../packages/image/dist/node.js';
import '../../packages/audio/dist/node.js';
import { loadDataset, disposeBatch } from '../../packages/data/dist/node.js';

const samples = Number(process.argv[2] ?? 1024);
const manifest = fileURLToPath(new URL('../../apps/av-digits/data/manifest.jsonl', import.meta.url));
await initBackend({ log: null });
const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-bench-av-'));

async function rate(extra) {
  const dataset = await loadDataset({
    manifest,
    modalities: {
      image: { preprocessor: { name: 'image', config: { height: 28, width: 28, channels: 1 } } },
      audio: { preprocessor: { name: 'audio-logmel' } },
    },
    labels: { label: {} },
    split: { field: 'split' },
    ...extra,
  });
  const loader = dataset.loader('train', { batchSize: 64 });
  const start = performance.now();
  let n = 0;
  for await (const batch of loader.batches(0)) {
    n += batch.ids.length;
    disposeBatch(batch);
    if (n >= samples) break;
  }
  return n / ((performance.now() - start) / 1000);
}

console.log(`av-digits, first ${samples} training samples (image 28x28x1 + log-mel 40x32x1), batch 64, ${os.cpus().length} CPUs`);
console.log(`no cache: ${(await rate({})).toFixed(0)} samples/s`);
console.log(`disk cache cold: ${(await rate({ cacheDir })).toFixed(0)} samples/s`);
console.log(`disk cache warm: ${(await rate({ cacheDir })).toFixed(0)} samples/s`);
await fs.rm(cacheDir, { recursive: true, force: true });
