import type { ConfigSchema } from '@polyfuse/core';
import type { AugmentOptions } from '../augment/augment.js';
import { defaultMaxPixels } from '../decode/decodeImage.js';

/** Options of the image preprocessor (`preprocessor/image`). */
export interface ImagePreprocessorConfig {
  /** 1 (grayscale, BT.601 luma) or 3 (RGB). Default 3. */
  channels: 1 | 3;
  height: number;
  width: number;
  /** `stretch` to height × width; `cover` keeps the aspect ratio and centre-crops; `none` rejects other sizes. Default `stretch`. */
  resize: 'stretch' | 'cover' | 'none';
  /** After scaling to [0, 1]: subtract mean and divide by std, per channel (one value = all channels). Defaults [0] and [1]. */
  mean: number[];
  std: number[];
  /** Training-only augmentation (see AugmentOptions). Default none. */
  augment: AugmentOptions;
  /** Node only: `sharp` (native, fast), `js` (pngjs/jpeg-js), or `auto` (sharp when it loads). Default `auto`. */
  decoder: 'auto' | 'sharp' | 'js';
  /**
   * Largest image accepted, in pixels (width × height), checked on the file's
   * header before decoding, by every decoder: a larger image is a bad sample
   * naming the file and the limit (a small file can declare gigabytes of
   * pixels). Default 50,000,000 (50 megapixels).
   */
  maxPixels: number;
}

export const imagePreprocessorSchema: ConfigSchema = {
  channels: { type: 'integer', enum: [1, 3], default: 3, description: 'Output channels: 1 grayscale or 3 RGB.' },
  height: { type: 'integer', min: 1, required: true, description: 'Output height in pixels.' },
  width: { type: 'integer', min: 1, required: true, description: 'Output width in pixels.' },
  resize: { type: 'string', enum: ['stretch', 'cover', 'none'], default: 'stretch', description: 'How other sizes are brought to height × width.' },
  mean: { type: 'number[]', default: [0], description: 'Per-channel mean subtracted after scaling to [0, 1].' },
  std: { type: 'number[]', default: [1], description: 'Per-channel std divided by after subtracting the mean.' },
  augment: { type: 'object', default: {}, description: 'Training augmentation: flip, cropPadding, rotation, brightness, contrast, saturation, noise, cutout.' },
  decoder: { type: 'string', enum: ['auto', 'sharp', 'js'], default: 'auto', description: 'Node only: which decoder to use.' },
  maxPixels: { type: 'integer', min: 1, default: defaultMaxPixels, description: 'Largest width × height accepted, checked before decoding (default 50 megapixels).' },
};
