import type { ImageArray } from '../image/imageArray.js';

/**
 * Brightness, contrast and saturation adjustment of a [0, 1] image with
 * torchvision's definitions (`adjust_brightness`, `adjust_contrast`,
 * `adjust_saturation`): brightness multiplies by `b`; contrast blends with the
 * mean grayscale value, `c x + (1 - c) mean(gray)`; saturation blends each pixel
 * with its own grayscale value. Results are clamped to [0, 1]. Factor 1 = unchanged.
 * Checked against torchvision 0.14 (brightness exact; contrast and saturation
 * within 1e-4, from the grayscale weights, see convertChannels).
 */
export function colorJitter(image: ImageArray, factors: { brightness?: number; contrast?: number; saturation?: number }): ImageArray {
  const { channels: c } = image;
  const data = Float32Array.from(image.data);
  const pixels = image.height * image.width;
  const gray = (p: number) => (c >= 3 ? 0.299 * data[p * c]! + 0.587 * data[p * c + 1]! + 0.114 * data[p * c + 2]! : data[p * c]!);
  const clamp = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
  const { brightness = 1, contrast = 1, saturation = 1 } = factors;
  if (brightness !== 1) for (let i = 0; i < data.length; i++) data[i] = clamp(data[i]! * brightness);
  if (contrast !== 1) {
    let mean = 0;
    for (let p = 0; p < pixels; p++) mean += gray(p);
    mean /= pixels;
    for (let i = 0; i < data.length; i++) data[i] = clamp(contrast * data[i]! + (1 - contrast) * mean);
  }
  if (saturation !== 1 && c >= 3) {
    for (let p = 0; p < pixels; p++) {
      const g = gray(p);
      for (let k = 0; k < 3; k++) data[p * c + k] = clamp(saturation * data[p * c + k]! + (1 - saturation) * g);
    }
  }
  return { ...image, data };
}
