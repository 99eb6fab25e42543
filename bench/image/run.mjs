// Image decode + resize throughput: sharp (libvips) vs the pure-JS path (pngjs / jpeg-js + bilinear).
// Run: npx tsc -b packages/image && node bench/image/run.mjs [count] [size]
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { registry, SeededRandom } from '../../packages/core/dist/index.js';
import '../../packages/image/dist/node.js';
import { encodePng, encodeJpeg } from '../../packages/image/dist/testing/syntheticImages.js';

const count = Number(process.argv[2] ?? 100);
const size = Number(process.argv[3] ?? 256);
const target = 64;

function photoLike(seed) {
  const rng = new SeededRandom(seed);
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      data[i] = (x + rng.int(32)) & 255;
      data[i + 1] = (y + rng.int(32)) & 255;
      data[i + 2] = ((x ^ y) + rng.int(32)) & 255;
      data[i + 3] = 255;
    }
  }
  return data;
}

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-bench-image-'));
for (let i = 0; i < count; i++) {
  const rgba = photoLike(i);
  await fs.writeFile(path.join(dir, `${i}.png`), encodePng(rgba, size, size));
  await fs.writeFile(path.join(dir, `${i}.jpg`), encodeJpeg(rgba, size, size));
}

console.log(`${count} images of ${size}×${size} → ${target}×${target}×3 float32 (node ${process.version}, ${os.cpus()[0].model}, ${os.cpus().length} cpus)`);
for (const format of ['png', 'jpg']) {
  for (const decoder of ['sharp', 'js']) {
    const pre = registry.create('preprocessor', 'image', { height: target, width: target, channels: 3, decoder });
    const context = { baseDir: dir, training: false, rng: new SeededRandom(0) };
    await pre.process(`0.${format}`, context); // warm-up (loads sharp)
    const start = performance.now();
    for (let i = 0; i < count; i++) await pre.process(`${i}.${format}`, context);
    const seconds = (performance.now() - start) / 1000;
    console.log(`${format.padEnd(4)} ${decoder.padEnd(6)} ${(count / seconds).toFixed(1).padStart(8)} images/s  (${((seconds / count) * 1000).toFixed(2)} ms/image)`);
  }
}
await fs.rm(dir, { recursive: true, force: true });
