import { InputError } from '@polyfuse/core';
import type { ImageArray } from '../image/imageArray.js';

/**
 * Bilinear resize with half-pixel centres: source coordinate
 * `(dst + 0.5) * in / out - 0.5`, clamped at the edges. This is
 * `tf.image.resizeBilinear(x, size, false, true)` and torch's
 * `F.interpolate(mode='bilinear', align_corners=False, antialias=False)`.
 */
export function resizeBilinear(image: ImageArray, height: number, width: number): ImageArray {
  if (!(Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0)) {
    throw new InputError(`resize: target size must be positive integers, got ${height}×${width}.`);
  }
  const { data, height: inH, width: inW, channels: c } = image;
  if (inH === height && inW === width) return image;
  const out = new Float32Array(height * width * c);
  const scaleY = inH / height;
  const scaleX = inW / width;
  const x0s = new Int32Array(width);
  const x1s = new Int32Array(width);
  const fxs = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const sx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), inW - 1);
    x0s[x] = Math.floor(sx);
    x1s[x] = Math.min(x0s[x]! + 1, inW - 1);
    fxs[x] = sx - x0s[x]!;
  }
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), inH - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, inH - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const fx = fxs[x]!;
      const a = (y0 * inW + x0s[x]!) * c;
      const b = (y0 * inW + x1s[x]!) * c;
      const d = (y1 * inW + x0s[x]!) * c;
      const e = (y1 * inW + x1s[x]!) * c;
      const o = (y * width + x) * c;
      for (let k = 0; k < c; k++) {
        const top = data[a + k]! + (data[b + k]! - data[a + k]!) * fx;
        const bottom = data[d + k]! + (data[e + k]! - data[d + k]!) * fx;
        out[o + k] = top + (bottom - top) * fy;
      }
    }
  }
  return { data: out, height, width, channels: c };
}
