import { InputError } from '@polyfuse/core';
import type { ImageArray } from '../image/imageArray.js';

/**
 * The `height × width` window whose top-left corner is (`top`, `left`). Parts
 * outside the image are filled with `fill` (so it also pads, as torchvision's
 * `F.crop` does with negative offsets).
 */
export function crop(image: ImageArray, top: number, left: number, height: number, width: number, fill = 0): ImageArray {
  if (!(Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0)) {
    throw new InputError(`crop: size must be positive integers, got ${height}×${width}.`);
  }
  const { data, height: inH, width: inW, channels: c } = image;
  const out = new Float32Array(height * width * c).fill(fill);
  for (let y = 0; y < height; y++) {
    const sy = y + top;
    if (sy < 0 || sy >= inH) continue;
    for (let x = 0; x < width; x++) {
      const sx = x + left;
      if (sx < 0 || sx >= inW) continue;
      const o = (y * width + x) * c;
      const s = (sy * inW + sx) * c;
      for (let k = 0; k < c; k++) out[o + k] = data[s + k]!;
    }
  }
  return { data: out, height, width, channels: c };
}

/** Centre crop as torchvision's `CenterCrop`: offsets `round((in - out) / 2)`. */
export function centerCrop(image: ImageArray, height: number, width: number): ImageArray {
  return crop(image, Math.round((image.height - height) / 2), Math.round((image.width - width) / 2), height, width);
}

/**
 * Resizes so the image covers `height × width` with its aspect ratio kept,
 * then centre-crops: the usual "resize shorter side, then CenterCrop".
 */
export function resizeCover(image: ImageArray, height: number, width: number, resize: (image: ImageArray, h: number, w: number) => ImageArray): ImageArray {
  const scale = Math.max(height / image.height, width / image.width);
  const h = Math.max(height, Math.round(image.height * scale));
  const w = Math.max(width, Math.round(image.width * scale));
  return centerCrop(resize(image, h, w), height, width);
}
