import { describe, expect, it } from 'vitest';
import { decodeImage } from '@polyfuse/image';
import { encodePng } from './encodePng.js';

describe('encodePng', () => {
  it('writes RGB and RGBA pixels that a PNG decoder reads back exactly', () => {
    const rgb = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256);
    const image = decodeImage(encodePng(rgb, 5, 3, 3), 'rgb.png');
    expect([image.width, image.height]).toEqual([5, 3]);
    expect(Array.from(image.data).filter((_, i) => i % 4 !== 3)).toEqual(Array.from(rgb));
    const rgba = Uint8Array.from({ length: 2 * 2 * 4 }, (_, i) => (i * 53) % 256);
    expect(Array.from(decodeImage(encodePng(rgba, 2, 2, 4), 'rgba.png').data)).toEqual(Array.from(rgba));
  });
});
