import { ConfigError } from '@polyfuse/core';
import type { ImageArray } from '../image/imageArray.js';

/**
 * Converts RGBA / RGB / grayscale pixels to 1 or 3 channels. Grayscale uses
 * ITU-R BT.601 luma, `L = 0.299 R + 0.587 G + 0.114 B`, as PIL's
 * `Image.convert('L')` and OpenCV do (torchvision's tensor `rgb_to_grayscale`
 * uses 0.2989 for red: within 1e-4, checked in torchReference.test.ts);
 * gray → RGB repeats the value; alpha is dropped.
 */
export function convertChannels(image: ImageArray, channels: 1 | 3): ImageArray {
  if (channels !== 1 && channels !== 3) throw new ConfigError(`channels must be 1 or 3, got ${JSON.stringify(channels)}.`);
  const { data, height, width, channels: from } = image;
  if (from === channels) return image;
  const pixels = height * width;
  const out = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const i = p * from;
    const gray = from <= 2;
    const r = data[i]!;
    const g = gray ? r : data[i + 1]!;
    const b = gray ? r : data[i + 2]!;
    if (channels === 1) out[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else {
      out[p * 3] = r;
      out[p * 3 + 1] = g;
      out[p * 3 + 2] = b;
    }
  }
  return { data: out, height, width, channels };
}
