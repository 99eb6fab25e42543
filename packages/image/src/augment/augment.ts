import { ConfigError, type SeededRandom } from '@polyfuse/core';
import type { ImageArray } from '../image/imageArray.js';
import { crop } from '../transforms/crop.js';
import { flipHorizontal } from './flip.js';
import { rotate } from './rotate.js';
import { colorJitter } from './colorJitter.js';
import { cutout } from './cutout.js';

/** Random training augmentation; every field is off (0) by default. */
export interface AugmentOptions {
  /** Probability of a horizontal flip. */
  flip?: number;
  /** Pad by this many pixels on each side, then crop back to size at a random offset (torchvision `RandomCrop(size, padding)`). */
  cropPadding?: number;
  /** Rotate by an angle drawn uniformly from [-rotation, rotation] degrees. */
  rotation?: number;
  /** Brightness factor drawn from [max(0, 1 - b), 1 + b] (torchvision `ColorJitter`). */
  brightness?: number;
  /** Contrast factor drawn from [max(0, 1 - c), 1 + c]. */
  contrast?: number;
  /** Saturation factor drawn from [max(0, 1 - s), 1 + s]. */
  saturation?: number;
  /** Standard deviation of additive Gaussian noise (pixels in [0, 1]); the result is clamped to [0, 1]. */
  noise?: number;
  /** Side of a square cut out (set to 0) at a uniformly drawn centre. */
  cutout?: number;
}

export const augmentOptionNames = ['flip', 'cropPadding', 'rotation', 'brightness', 'contrast', 'saturation', 'noise', 'cutout'] as const;

/** Validates augmentation options; `path` names them in errors. */
export function checkAugmentOptions(options: Record<string, unknown>, path = 'augment'): AugmentOptions {
  for (const [key, value] of Object.entries(options)) {
    if (!(augmentOptionNames as readonly string[]).includes(key)) {
      throw new ConfigError(`${path}.${key} is not a known augmentation. Known: ${augmentOptionNames.join(', ')}.`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new ConfigError(`${path}.${key} must be a non-negative number, got ${JSON.stringify(value)}.`);
    }
  }
  if ((options.flip as number | undefined) !== undefined && (options.flip as number) > 1) {
    throw new ConfigError(`${path}.flip is a probability and must be <= 1, got ${options.flip}.`);
  }
  return options as AugmentOptions;
}

/**
 * Applies the enabled augmentations to a [0, 1] image in a fixed order: crop,
 * flip, rotation, brightness, contrast, saturation, noise, cutout. Every random
 * draw comes from `rng`, so the same seed gives the same augmented image.
 * Random draws are made for enabled steps only.
 */
export function augmentImage(image: ImageArray, options: AugmentOptions, rng: SeededRandom): ImageArray {
  let out = image;
  const { flip = 0, cropPadding = 0, rotation = 0, brightness = 0, contrast = 0, saturation = 0, noise = 0, cutout: cutoutSize = 0 } = options;
  if (cropPadding > 0) {
    const top = rng.int(2 * cropPadding + 1) - cropPadding;
    const left = rng.int(2 * cropPadding + 1) - cropPadding;
    out = crop(out, top, left, out.height, out.width);
  }
  if (flip > 0 && rng.next() < flip) out = flipHorizontal(out);
  if (rotation > 0) out = rotate(out, rng.uniform(-rotation, rotation));
  const factor = (amount: number) => (amount > 0 ? rng.uniform(Math.max(0, 1 - amount), 1 + amount) : 1);
  const jitter = { brightness: factor(brightness), contrast: factor(contrast), saturation: factor(saturation) };
  if (brightness > 0 || contrast > 0 || saturation > 0) out = colorJitter(out, jitter);
  if (noise > 0) {
    const data = Float32Array.from(out.data);
    for (let i = 0; i < data.length; i++) data[i] = Math.min(1, Math.max(0, data[i]! + rng.normal(0, noise)));
    out = { ...out, data };
  }
  if (cutoutSize > 0) out = cutout(out, rng.int(out.height), rng.int(out.width), cutoutSize);
  return out;
}
