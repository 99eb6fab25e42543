import { ConfigError } from '@polyfuse/core';
import type { ImageArray } from '../image/imageArray.js';

/**
 * Per-channel `(x - mean[c]) / std[c]`, as torchvision's `Normalize`. One
 * value in `mean` or `std` applies to every channel.
 */
export function normalize(image: ImageArray, mean: number[], std: number[]): ImageArray {
  const c = image.channels;
  const pick = (values: number[], name: string) => {
    if (values.length !== 1 && values.length !== c) {
      throw new ConfigError(`normalize.${name} has ${values.length} values; expected 1 or ${c} (one per channel).`);
    }
    return Array.from({ length: c }, (_, k) => values[values.length === 1 ? 0 : k]!);
  };
  const m = pick(mean, 'mean');
  const s = pick(std, 'std');
  if (s.some((v) => !(v > 0))) throw new ConfigError(`normalize.std must be positive, got ${JSON.stringify(std)}.`);
  const data = new Float32Array(image.data.length);
  for (let i = 0; i < data.length; i++) {
    const k = i % c;
    data[i] = (image.data[i]! - m[k]!) / s[k]!;
  }
  return { ...image, data };
}
