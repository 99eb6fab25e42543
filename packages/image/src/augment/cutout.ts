import type { ImageArray } from '../image/imageArray.js';

/**
 * Cutout (DeVries & Taylor, 2017): sets a `size × size` square centred at
 * (`centerY`, `centerX`) to `fill`, clipped at the borders.
 */
export function cutout(image: ImageArray, centerY: number, centerX: number, size: number, fill = 0): ImageArray {
  const { height, width, channels: c } = image;
  const data = Float32Array.from(image.data);
  const top = Math.max(0, centerY - Math.floor(size / 2));
  const left = Math.max(0, centerX - Math.floor(size / 2));
  const bottom = Math.min(height, centerY - Math.floor(size / 2) + size);
  const right = Math.min(width, centerX - Math.floor(size / 2) + size);
  for (let y = top; y < bottom; y++) for (let x = left; x < right; x++) for (let k = 0; k < c; k++) data[(y * width + x) * c + k] = fill;
  return { ...image, data };
}
