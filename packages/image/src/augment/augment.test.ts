import { describe, expect, it } from 'vitest';
import { ConfigError, SeededRandom } from '@polyfuse/core';
import { augmentImage, checkAugmentOptions, colorJitter, cutout, flipHorizontal, rotate, type ImageArray } from '../index.js';

const image = (): ImageArray => ({ data: Float32Array.from({ length: 6 * 6 * 3 }, (_, i) => ((i * 7) % 13) / 13), height: 6, width: 6, channels: 3 });
const everything = { flip: 0.5, cropPadding: 2, rotation: 15, brightness: 0.3, contrast: 0.3, saturation: 0.3, noise: 0.05, cutout: 2 };

describe('seeded image augmentation', () => {
  it('gives the same image for the same seed and a different one for another seed', () => {
    const a = augmentImage(image(), everything, new SeededRandom(1));
    const b = augmentImage(image(), everything, new SeededRandom(1));
    const c = augmentImage(image(), everything, new SeededRandom(2));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
    expect(a.data.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('flips, and flipping twice is the identity', () => {
    const x = image();
    const flipped = flipHorizontal(x);
    expect(flipped.data.slice(0, 3)).toEqual(x.data.slice(15, 18));
    expect(Array.from(flipHorizontal(flipped).data)).toEqual(Array.from(x.data));
  });

  it('rotates by 90 degrees exactly on the pixel grid', () => {
    const x: ImageArray = { data: new Float32Array([1, 2, 3, 4]), height: 2, width: 2, channels: 1 };
    // Counter-clockwise: the top-right pixel moves to the top-left.
    expect(Array.from(rotate(x, 90).data).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([2, 4, 1, 3]);
  });

  it('matches torchvision colour adjustments for brightness, contrast and saturation', () => {
    const x: ImageArray = { data: new Float32Array([0.2, 0.4, 0.6, 0.8, 0.6, 0.4]), height: 1, width: 2, channels: 3 };
    expect(Array.from(colorJitter(x, { brightness: 2 }).data).map((v) => +v.toFixed(5))).toEqual([0.4, 0.8, 1, 1, 1, 0.8]);
    const gray = [0.299 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6, 0.299 * 0.8 + 0.587 * 0.6 + 0.114 * 0.4];
    const mean = (gray[0]! + gray[1]!) / 2;
    expect(colorJitter(x, { contrast: 0.5 }).data[0]).toBeCloseTo(0.5 * 0.2 + 0.5 * mean, 5);
    expect(colorJitter(x, { saturation: 0 }).data[2]).toBeCloseTo(gray[0]!, 5);
  });

  it('cuts out a square clipped at the border', () => {
    const x: ImageArray = { data: new Float32Array(16).fill(1), height: 4, width: 4, channels: 1 };
    expect(Array.from(cutout(x, 0, 0, 2).data).filter((v) => v === 0)).toHaveLength(1);
    expect(Array.from(cutout(x, 2, 2, 2).data).filter((v) => v === 0)).toHaveLength(4);
  });

  it('rejects unknown or negative options', () => {
    expect(() => checkAugmentOptions({ mirror: 1 })).toThrow(/augment.mirror is not a known augmentation/);
    expect(() => checkAugmentOptions({ flip: 2 })).toThrow(ConfigError);
    expect(() => checkAugmentOptions({ noise: -1 })).toThrow(ConfigError);
  });
});
