import type { ImageArray } from '../image/imageArray.js';

/**
 * Rotates by `degrees` counter-clockwise about the image centre with bilinear
 * sampling; pixels from outside the image are `fill` (torchvision's
 * `F.rotate(img, angle, interpolation=BILINEAR, fill=0)`: equal to 1e-4 away
 * from the borders, where the two treat partially outside samples differently).
 */
export function rotate(image: ImageArray, degrees: number, fill = 0): ImageArray {
  const { data, height, width, channels: c } = image;
  const out = new Float32Array(data.length);
  const theta = (degrees * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inverse map: where in the source does this output pixel come from.
      const dx = x - cx;
      const dy = y - cy;
      const sx = cos * dx - sin * dy + cx;
      const sy = sin * dx + cos * dy + cy;
      const o = (y * width + x) * c;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let k = 0; k < c; k++) {
        const at = (yy: number, xx: number) => (yy < 0 || yy >= height || xx < 0 || xx >= width ? fill : data[(yy * width + xx) * c + k]!);
        const top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx;
        const bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx;
        out[o + k] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return { ...image, data: out };
}
