// PNG decode time: @polyfuse/image's PNG decoder (ours over fflate, no Node modules; decodeImage adds the float32 copy)
// against pngjs and sharp (libvips), on an MNIST-sized 28×28 gray image and a large RGB one.
// Run: npx tsc -b packages/image && node bench/image/decode.mjs [large-size]
import os from 'node:os';
import { createRequire } from 'node:module';
import { SeededRandom } from '../../packages/core/dist/index.js';
import { decodeImage } from '../../packages/image/dist/index.js';
import { loadSharp } from '../../packages/image/dist/node.js';
import { decodePng } from '../../packages/image/dist/decode/png/decodePng.js';

const require = createRequire(new URL('../../packages/image/package.json', import.meta.url));
const { PNG } = require('pngjs');
const sharp = await loadSharp();
const largeSize = Number(process.argv[2] ?? 2048);

/** Noisy gradients (so deflate cannot shrink them to nothing), as a PNG of the given colour type. */
function photoLike(size, channels, seed) {
  const rng = new SeededRandom(seed);
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      rgba[i] = (x + rng.int(32)) & 255;
      rgba[i + 1] = channels === 1 ? rgba[i] : (y + rng.int(32)) & 255;
      rgba[i + 2] = channels === 1 ? rgba[i] : ((x ^ y) + rng.int(32)) & 255;
      rgba[i + 3] = 255;
    }
  }
  // colorType 0 = gray, 2 = RGB; pngjs encodes from RGBA input.
  return new Uint8Array(PNG.sync.write({ width: size, height: size, data: Buffer.from(rgba) }, { colorType: channels === 1 ? 0 : 2, inputHasAlpha: true }));
}

/**
 * Median milliseconds per call of each decoder: rounds interleave the decoders
 * (each runs `repeat` calls per round), so a change in machine load hits all alike.
 */
async function timeInterleaved(decoders, repeat, rounds = 9) {
  const perCall = Object.fromEntries(Object.keys(decoders).map((name) => [name, []]));
  for (const fn of Object.values(decoders)) for (let i = 0; i < Math.min(repeat, 20); i++) await fn();
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(decoders)) {
      const start = performance.now();
      for (let i = 0; i < repeat; i++) await fn();
      perCall[name].push((performance.now() - start) / repeat);
    }
  }
  return Object.fromEntries(Object.entries(perCall).map(([name, times]) => [name, times.sort((x, y) => x - y)[Math.floor(rounds / 2)]]));
}

const cases = [
  { name: '28×28 gray', bytes: photoLike(28, 1, 1), repeat: 2000 },
  { name: `${largeSize}×${largeSize} RGB`, bytes: photoLike(largeSize, 3, 2), repeat: 3 },
];
console.log(`PNG decode to RGBA, median of 9 interleaved rounds (node ${process.version}, ${os.cpus()[0].model}, ${os.cpus().length} cpus, load ${os.loadavg()[0].toFixed(1)})`);
for (const { name, bytes, repeat } of cases) {
  const decoders = {
    'decodePng (RGBA bytes)': () => decodePng(bytes),
    'decodeImage (float32)': () => decodeImage(bytes, 'bench.png'),
    pngjs: () => PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  };
  if (sharp) decoders['sharp'] = () => sharp(bytes).ensureAlpha().raw().toBuffer();
  for (const [decoder, ms] of Object.entries(await timeInterleaved(decoders, repeat))) {
    console.log(`${name.padEnd(16)} ${decoder.padEnd(22)} ${ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`} per image`);
  }
}
