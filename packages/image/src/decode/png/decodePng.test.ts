import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../index.js';
import { loadSharp } from '../../node.js';
import { decodePng } from './decodePng.js';

// Written by fixtures/png/generate.py: every colour type and bit depth, palettes, tRNS, Adam7, all filters.
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/png');
const files = readdirSync(fixtures).filter((name) => name.endsWith('.png')).sort();
const read = (name: string) => new Uint8Array(readFileSync(path.join(fixtures, name)));

/** pngjs zeroes the colour of a pixel its tRNS colour key hides; the PNG spec, libpng, sharp and PIL keep it. */
function pngjsPixels(bytes: Uint8Array): Uint8Array {
  const { data } = PNG.sync.read(Buffer.from(bytes));
  return new Uint8Array(data);
}

describe('decodePng: same pixels as pngjs and sharp, without Node modules', () => {
  it('has fixtures of every colour type, bit depth, tRNS and Adam7', () => {
    expect(files.length).toBeGreaterThanOrEqual(45);
    for (const pattern of [/^type0-depth1\./, /type0-depth16-adam7/, /type2-depth16-trns/, /type3-depth2-trns/, /type4-depth16/, /type6-depth8-adam7/, /tiny-1x1-adam7/]) {
      expect(files.some((name) => pattern.test(name))).toBe(true);
    }
  });

  it.each(files)('%s matches pngjs', (name) => {
    const bytes = read(name);
    const ours = decodePng(bytes);
    const reference = pngjsPixels(bytes);
    const keyed = /type[02]-.*trns/.test(name);
    let hidden = 0;
    for (let p = 0; p < ours.data.length; p += 4) {
      if (keyed && reference[p + 3] === 0) {
        hidden++;
        expect(ours.data[p + 3], `${name} pixel ${p / 4} alpha`).toBe(0);
        continue; // colour kept by us, zeroed by pngjs (see above)
      }
      for (let c = 0; c < 4; c++) if (ours.data[p + c] !== reference[p + c]) expect([name, p / 4, c, ours.data[p + c]]).toEqual([name, p / 4, c, reference[p + c]]);
    }
    if (keyed) expect(hidden, `${name}: the tRNS colour occurs`).toBeGreaterThan(0);
    expect(ours.data.length).toBe(reference.length);
  });

  it.each(files)('%s matches sharp (16-bit samples within 1: sharp takes the high byte, we and pngjs round)', async (name) => {
    const sharp = (await loadSharp()) as unknown as ((input: Uint8Array) => { ensureAlpha(): { raw(): { toBuffer(o: { resolveWithObject: true }): Promise<{ data: Uint8Array }> } } }) | undefined;
    if (!sharp) return; // sharp is an optional dependency; pngjs above is the reference everywhere
    const bytes = read(name);
    const ours = decodePng(bytes);
    const { data } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const tolerance = /depth16|wide-40x3/.test(name) ? 1 : 0;
    let worst = 0;
    for (let i = 0; i < ours.data.length; i++) worst = Math.max(worst, Math.abs(ours.data[i]! - data[i]!));
    expect(worst).toBeLessThanOrEqual(tolerance);
  });

  it('decodeImage gives the same pixels as floats', () => {
    const bytes = read('type3-depth4-trns.png');
    const image = decodeImage(bytes, 'palette.png');
    expect([image.height, image.width, image.channels]).toEqual([6, 9, 4]);
    expect(Array.from(image.data)).toEqual(Array.from(decodePng(bytes).data));
  });
});

describe('decodePng: corrupt files fail with what is wrong', () => {
  const good = read('type2-depth8.png');
  /** The PNG with one byte changed (CRCs left as they were). */
  const patched = (offset: number, value: number) => {
    const copy = good.slice();
    copy[offset] = value;
    return copy;
  };

  it('names the chunk whose CRC does not match', () => {
    expect(() => decodePng(patched(20, 99))).toThrow('CRC mismatch in the IHDR chunk');
  });

  it('says where the file ends', () => {
    expect(() => decodePng(good.subarray(0, good.length - 20))).toThrow(/file ends inside the IDAT chunk \(truncated file\?\)|file ends inside a chunk header/);
    expect(() => decodeImage(good.subarray(0, 40), 'cut.png')).toThrow(/^cut\.png: corrupt or unsupported PNG data \(file ends/);
  });

  it('rejects headers the specification does not allow', () => {
    expect(() => decodePng(withChunk('IHDR', header(4, 4, 16, 3)))).toThrow('bit depth 16 with colour type 3; expected one of 1, 2, 4, 8');
    expect(() => decodePng(withChunk('IHDR', header(4, 4, 8, 5)))).toThrow('colour type 5; expected 0, 2, 3, 4 or 6');
    expect(() => decodePng(withChunk('IHDR', header(4, 4, 8, 3)))).toThrow('palette image (colour type 3) without a PLTE chunk');
  });

  it('rejects an unknown filter type and a palette index past the palette', () => {
    // 2×1 RGB image whose only row says filter 7.
    expect(() => decodePng(withChunk('IHDR', header(2, 1, 8, 2), zlib.deflateSync(Buffer.from([7, 1, 2, 3, 4, 5, 6]))))).toThrow('row 0 has filter type 7; expected 0 to 4');
    const palette = Buffer.from([255, 0, 0, 0, 255, 0]);
    expect(() => decodePng(withChunk('IHDR', header(2, 1, 8, 3), zlib.deflateSync(Buffer.from([0, 1, 5])), palette))).toThrow("palette index 5 is past the palette's 2 entries");
  });

  it('refuses a header declaring more than its data could inflate to, before allocating (without decodeImage\'s maxPixels)', () => {
    expect(() => decodePng(withChunk('IHDR', header(30000, 30000, 8, 6), zlib.deflateSync(Buffer.alloc(100))))).toThrow(
      /^image data ends early: \d+ compressed bytes cannot hold the 3600030000 the header declares/,
    );
  });

  it('says when the image data is shorter than the header needs', () => {
    expect(() => decodePng(withChunk('IHDR', header(4, 4, 8, 2), zlib.deflateSync(Buffer.alloc(10))))).toThrow('image data ends early: 10 of 52 bytes (truncated file?)');
  });
});

describe('decodePng on damaged files', () => {
  it('either decodes to width × height × 4 values or throws an Error saying why, for 300 seeded corruptions with valid CRCs', () => {
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const outcomes = { decoded: 0, rejected: 0 };
    for (let trial = 0; trial < 300; trial++) {
      const bytes = read(files[trial % files.length]!).slice();
      // Damage chunk bodies (not the signature or chunk lengths), then fix each CRC, so the damage reaches inflate, filters and pixels.
      const chunks: [number, number][] = [];
      for (let offset = 8; offset + 12 <= bytes.length; ) {
        const length = new DataView(bytes.buffer).getUint32(offset);
        chunks.push([offset, length]);
        offset += 12 + length;
      }
      for (let k = 0; k < 1 + random(4); k++) {
        const [offset, length] = chunks[random(chunks.length)]!;
        if (length > 0) bytes[offset + 8 + random(length)] = random(256);
      }
      for (const [offset, length] of chunks) new DataView(bytes.buffer).setUint32(offset + 8 + length, zlib.crc32(bytes.subarray(offset + 4, offset + 8 + length)));
      try {
        const image = decodePng(bytes);
        expect(image.data.length).toBe(image.width * image.height * 4);
        outcomes.decoded++;
      } catch (error) {
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message.length).toBeGreaterThan(10);
        outcomes.rejected++;
      }
    }
    expect(outcomes.decoded).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });
});

function header(width: number, height: number, depth: number, colorType: number): Buffer {
  const body = Buffer.alloc(13);
  body.writeUInt32BE(width, 0);
  body.writeUInt32BE(height, 4);
  body[8] = depth;
  body[9] = colorType;
  return body;
}

/** A PNG of an IHDR, an optional PLTE, one IDAT and IEND, with correct CRCs. */
function withChunk(_type: 'IHDR', ihdr: Buffer, idat: Buffer = zlib.deflateSync(Buffer.alloc(0)), palette?: Buffer): Uint8Array {
  const chunk = (type: string, body: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (palette) parts.push(chunk('PLTE', palette));
  parts.push(chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0)));
  return new Uint8Array(Buffer.concat(parts));
}
