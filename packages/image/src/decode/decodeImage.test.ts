import { describe, expect, it } from 'vitest';
import { InputError } from '@polyfuse/core';
import { convertChannels, decodeImage, detectImageFormat } from '../index.js';
import { encodeJpeg, encodePng, gradientRgba } from '../testing/syntheticImages.js';

describe('decodeImage', () => {
  const rgba = gradientRgba(6, 5);

  it('decodes PNG losslessly to RGBA in [0, 255]', () => {
    const image = decodeImage(encodePng(rgba, 6, 5), 'a.png');
    expect([image.height, image.width, image.channels]).toEqual([6, 5, 4]);
    expect(Array.from(image.data)).toEqual(Array.from(rgba));
  });

  it('decodes JPEG close to the original pixels', () => {
    const bytes = encodeJpeg(rgba, 6, 5);
    expect(detectImageFormat(bytes)).toBe('jpeg');
    const image = decodeImage(bytes, 'a.jpg');
    let maxError = 0;
    for (let i = 0; i < rgba.length; i++) maxError = Math.max(maxError, Math.abs(image.data[i]! - rgba[i]!));
    expect(maxError).toBeLessThan(20);
  });

  it('converts to grayscale with BT.601 luma and back to RGB', () => {
    const image = { data: new Float32Array([255, 0, 0, 255, 0, 255, 0, 255]), height: 1, width: 2, channels: 4 };
    const gray = convertChannels(image, 1);
    expect(gray.data[0]).toBeCloseTo(0.299 * 255, 4);
    expect(gray.data[1]).toBeCloseTo(0.587 * 255, 4);
    expect(Array.from(convertChannels(gray, 3).data.slice(0, 3))).toEqual([gray.data[0], gray.data[0], gray.data[0]]);
  });

  it('names the source of empty, unknown and corrupt data', () => {
    expect(() => decodeImage(new Uint8Array(0), 'empty.png')).toThrow(/empty.png: image data is empty/);
    expect(() => decodeImage(new TextEncoder().encode('hello'), 'notes.txt')).toThrow(/notes.txt: not a PNG or JPEG/);
    const truncated = encodePng(rgba, 6, 5).slice(0, 40);
    expect(() => decodeImage(truncated, 'cut.png')).toThrow(InputError);
    expect(() => decodeImage(truncated, 'cut.png')).toThrow(/cut.png: corrupt/);
  });

  it('needs no Node Buffer (as in a browser): the same pixels with globalThis.Buffer removed', () => {
    const png = encodePng(rgba, 6, 5);
    const jpg = encodeJpeg(rgba, 6, 5);
    const withBuffer = [decodeImage(png, 'a.png'), decodeImage(jpg, 'a.jpg')];
    const saved = globalThis.Buffer;
    Reflect.deleteProperty(globalThis, 'Buffer');
    try {
      expect(typeof (globalThis as { Buffer?: unknown }).Buffer).toBe('undefined');
      const withoutBuffer = [decodeImage(png, 'a.png'), decodeImage(jpg, 'a.jpg')];
      expect(withoutBuffer).toEqual(withBuffer);
    } finally {
      globalThis.Buffer = saved;
    }
  });
});
