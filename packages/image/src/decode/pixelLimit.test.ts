import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { promises as fs } from 'node:fs';
import { InputError, registry, SeededRandom, type Preprocessor } from '@polyfuse/core';
import { decodeImage, defaultMaxPixels, imageDimensions } from './decodeImage.js';
import { encodeJpeg, encodePng, gradientRgba } from '../testing/syntheticImages.js';
import '../node.js';

/** A PNG with a valid IHDR declaring width × height but a tiny IDAT: a decompression bomb of a few KB. */
function pngBomb(width: number, height: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer): number => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.alloc(width + 1))), chunk('IEND', Buffer.alloc(0))]));
}

/** A baseline JPEG whose start-of-frame header is rewritten to declare height × width. */
function jpegDeclaring(height: number, width: number): Uint8Array {
  const bytes = encodeJpeg(gradientRgba(8, 8), 8, 8).slice();
  for (let i = 2; i + 9 < bytes.length; ) {
    const marker = bytes[i + 1]!;
    if (marker === 0xc0) {
      bytes[i + 5] = height >> 8;
      bytes[i + 6] = height & 0xff;
      bytes[i + 7] = width >> 8;
      bytes[i + 8] = width & 0xff;
      return bytes;
    }
    i += 2 + ((bytes[i + 2]! << 8) | bytes[i + 3]!);
  }
  throw new Error('no SOF0 marker');
}

describe('pixel limit: decompression bombs are refused from the header, before allocating', () => {
  let dir: string;
  const context = () => ({ baseDir: dir, training: false, rng: new SeededRandom(0) });

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-pixel-limit-'));
    await fs.writeFile(path.join(dir, 'bomb.png'), pngBomb(20000, 20000));
    await fs.writeFile(path.join(dir, 'bomb.jpg'), jpegDeclaring(60000, 60000));
    await fs.writeFile(path.join(dir, 'small.png'), encodePng(gradientRgba(16, 16), 16, 16));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads the declared size of PNG and JPEG headers', () => {
    expect(imageDimensions(pngBomb(20000, 20000))).toEqual({ width: 20000, height: 20000 });
    expect(imageDimensions(jpegDeclaring(600, 900))).toEqual({ width: 900, height: 600 });
    const jpeg = encodeJpeg(gradientRgba(12, 7), 12, 7);
    const decoded = decodeImage(jpeg, 'small.jpg');
    expect(decoded.width).not.toBe(decoded.height);
    expect(imageDimensions(jpeg)).toEqual({ width: decoded.width, height: decoded.height });
    expect(imageDimensions(Uint8Array.of(1, 2, 3))).toBeUndefined();
  });

  it('decodeImage throws an InputError naming the file and the limit, at once', () => {
    const bomb = pngBomb(20000, 20000);
    expect(bomb.length).toBeLessThan(30_000);
    const started = performance.now();
    expect(() => decodeImage(bomb, 'bomb.png')).toThrow(InputError);
    expect(() => decodeImage(bomb, 'bomb.png')).toThrow(
      "bomb.png: the image declares 20000×20000 = 400,000,000 pixels, more than the limit of 50,000,000 (maxPixels). Shrink the image, or raise the image preprocessor's maxPixels if it is genuine.",
    );
    expect(() => decodeImage(jpegDeclaring(60000, 60000), 'bomb.jpg')).toThrow(/^bomb\.jpg: the image declares 60000×60000 = 3,600,000,000 pixels, more than the limit/);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(defaultMaxPixels).toBe(50_000_000);
    expect(() => decodeImage(encodePng(gradientRgba(16, 16), 16, 16), 'small.png', { maxPixels: 255 })).toThrow(/16×16 = 256 pixels, more than the limit of 255/);
    expect(decodeImage(encodePng(gradientRgba(16, 16), 16, 16), 'small.png', { maxPixels: 256 }).width).toBe(16);
  });

  it.each(['js', 'auto'])('preprocessor/image (decoder %s) refuses a bomb file by name, and takes maxPixels from its config', async (decoder) => {
    const pre = registry.create<Preprocessor>('preprocessor', 'image', { channels: 1, height: 4, width: 4, decoder });
    await expect(pre.process('bomb.png', context())).rejects.toThrow(`${path.join(dir, 'bomb.png')}: the image declares 20000×20000 = 400,000,000 pixels, more than the limit of 50,000,000 (maxPixels).`);
    await expect(pre.process('bomb.jpg', context())).rejects.toThrow(/bomb\.jpg: the image declares 60000×60000/);
    const strict = registry.create<Preprocessor>('preprocessor', 'image', { channels: 1, height: 4, width: 4, decoder, maxPixels: 100 });
    await expect(strict.process('small.png', context())).rejects.toThrow(/small\.png: the image declares 16×16 = 256 pixels, more than the limit of 100 \(maxPixels\)/);
    await expect(strict.process(await fs.readFile(path.join(dir, 'small.png')), context())).rejects.toThrow(/image bytes: the image declares 16×16/);
    expect(await registry.create<Preprocessor>('preprocessor', 'image', { channels: 1, height: 4, width: 4, decoder }).process('small.png', context())).toHaveLength(16);
  });
});
