import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { ConfigError, InputError, registry, SeededRandom, type Preprocessor } from '@polyfuse/core';
import { ImagePreprocessor, NodeImagePreprocessor, loadSharp } from '../node.js';
import { imageDimensions } from '../index.js';
import { fileURLToPath } from 'node:url';
import { encodeJpeg, encodePng, gradientRgba } from '../testing/syntheticImages.js';

describe('preprocessor/image (node)', () => {
  let dir: string;
  const context = (training = false, seed = 0) => ({ baseDir: dir, training, rng: new SeededRandom(seed) });

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-image-'));
    await fs.writeFile(path.join(dir, 'big.png'), encodePng(gradientRgba(32, 24), 32, 24));
    await fs.writeFile(path.join(dir, 'big.jpg'), encodeJpeg(gradientRgba(32, 24), 32, 24));
    await fs.writeFile(path.join(dir, 'exact.png'), encodePng(gradientRgba(8, 8), 8, 8));
    await fs.writeFile(path.join(dir, 'corrupt.png'), encodePng(gradientRgba(8, 8), 8, 8).slice(0, 30));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads a PNG path relative to baseDir, resizes and scales to [0, 1]', async () => {
    const pre = registry.create<Preprocessor>('preprocessor', 'image', { channels: 3, height: 8, width: 8, decoder: 'js' });
    expect(pre).toBeInstanceOf(NodeImagePreprocessor); // the node entry replaces the bytes-only registration
    expect(pre.outputShape).toEqual([8, 8, 3]);
    const exact = await pre.process('exact.png', context());
    expect(exact).toHaveLength(8 * 8 * 3);
    expect(exact[0]).toBe(0);
    expect(exact[(7 * 8 + 7) * 3]).toBe(1); // red ramps to 255 at the right edge
    expect(exact[2]).toBeCloseTo(128 / 255, 6);
  });

  it('decodes with sharp when it loads, agreeing with the pure-JS path', async () => {
    expect(await loadSharp()).toBeDefined(); // sharp installs on this machine; the JS path is the fallback elsewhere
    for (const file of ['big.png', 'big.jpg']) {
      const viaSharp = await registry.create<Preprocessor>('preprocessor', 'image', { height: 16, width: 12, decoder: 'sharp' }).process(file, context());
      const viaJs = await registry.create<Preprocessor>('preprocessor', 'image', { height: 16, width: 12, decoder: 'js' }).process(file, context());
      let maxError = 0;
      viaSharp.forEach((v, i) => (maxError = Math.max(maxError, Math.abs(v - viaJs[i]!))));
      expect(maxError, file).toBeLessThan(0.06);
    }
  });

  it("gives sharp's values with the JS decoder for every PNG of at most 8 bits per sample, so 'auto' may use it for small ones", async () => {
    const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/png');
    const files = (await fs.readdir(fixtures)).filter((f) => f.endsWith('.png'));
    const fixtureContext = { baseDir: fixtures, training: false, rng: new SeededRandom(0) };
    let compared = 0;
    for (const file of files) {
      const bytes = await fs.readFile(path.join(fixtures, file));
      if (bytes[24]! > 8) continue; // 16-bit samples: sharp keeps the high byte, the JS decoder rounds
      const { width, height } = imageDimensions(bytes)!;
      for (const channels of [1, 3]) {
        const config = { channels, height, width };
        const viaSharp = await registry.create<Preprocessor>('preprocessor', 'image', { ...config, decoder: 'sharp' }).process(file, fixtureContext);
        const viaJs = await registry.create<Preprocessor>('preprocessor', 'image', { ...config, decoder: 'js' }).process(file, fixtureContext);
        const viaAuto = await registry.create<Preprocessor>('preprocessor', 'image', { ...config, decoder: 'auto' }).process(file, fixtureContext);
        expect(Array.from(viaJs), `${file}, ${channels} channel(s)`).toEqual(Array.from(viaSharp));
        expect(Array.from(viaAuto), `${file}, ${channels} channel(s)`).toEqual(Array.from(viaSharp));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(60); // every colour type, palette, transparency and interlace case at 1-8 bits
  });

  it('grayscale with mean/std normalisation', async () => {
    const pre = registry.create<Preprocessor>('preprocessor', 'image', { channels: 1, height: 8, width: 8, mean: [0.5], std: [0.25], decoder: 'js' });
    const x = await pre.process('exact.png', context());
    const luma = (0.299 * 0 + 0.587 * 0 + 0.114 * 128) / 255;
    expect(x[0]).toBeCloseTo((luma - 0.5) / 0.25, 5);
  });

  it('augments only in training, reproducibly per seed', async () => {
    const pre = registry.create<Preprocessor>('preprocessor', 'image', { height: 8, width: 8, augment: { flip: 1, noise: 0.1 }, decoder: 'js' });
    const plain = await pre.process('exact.png', context(false));
    const a = await pre.process('exact.png', context(true, 4));
    const b = await pre.process('exact.png', context(true, 4));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(plain));
    expect(Array.from(await pre.process('exact.png', context(false)))).toEqual(Array.from(plain));
  });

  it('throws InputError naming missing and corrupt files, for both decoders', async () => {
    for (const decoder of ['js', 'sharp']) {
      const pre = registry.create<Preprocessor>('preprocessor', 'image', { height: 8, width: 8, decoder });
      await expect(pre.process('nope.png', context())).rejects.toThrow(/nope.png: cannot read image \(file not found\)/);
      await expect(pre.process('corrupt.png', context())).rejects.toThrow(InputError);
      await expect(pre.process('corrupt.png', context())).rejects.toThrow(/corrupt.png: corrupt/);
    }
    const strict = registry.create<Preprocessor>('preprocessor', 'image', { height: 8, width: 8, resize: 'none', decoder: 'js' });
    await expect(strict.process('big.png', context())).rejects.toThrow(/is 32×24 but 8×8 is required/);
  });

  it('rejects bad configs: channel counts, mean lengths', () => {
    expect(() => registry.create('preprocessor', 'image', { channels: 2, height: 8, width: 8 })).toThrow(ConfigError);
    expect(() => new ImagePreprocessor({ channels: 3, height: 8, width: 8, mean: [0.1, 0.2] })).toThrow(/mean has 2 values/);
    expect(() => registry.create('preprocessor', 'image', { height: 8 })).toThrow(/width is required/);
  });

  it('takes encoded bytes in the browser-safe class', async () => {
    const pre = new ImagePreprocessor({ height: 4, width: 4 });
    const x = await pre.process(encodePng(gradientRgba(8, 8), 8, 8), context());
    expect(x).toHaveLength(4 * 4 * 3);
    await expect(pre.process('a.png', context())).rejects.toThrow(/File paths need '@polyfuse\/image\/node'/);
  });
});
