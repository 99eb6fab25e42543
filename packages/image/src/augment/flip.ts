import type { ImageArray } from '../image/imageArray.js';

/** Mirrors the image left-right. */
export function flipHorizontal(image: ImageArray): ImageArray {
  const { data, height, width, channels: c } = image;
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * c;
      const s = (y * width + (width - 1 - x)) * c;
      for (let k = 0; k < c; k++) out[o + k] = data[s + k]!;
    }
  }
  return { ...image, data: out };
}
