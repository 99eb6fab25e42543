import { InputError, registry, validateConfig, type PreprocessContext, type Preprocessor } from '@polyfuse/core';
import { checkImage, toUnitRange, type ImageArray } from '../image/imageArray.js';
import { decodeImage } from '../decode/decodeImage.js';
import { convertChannels } from '../decode/convertChannels.js';
import { resizeBilinear } from '../transforms/resize.js';
import { resizeCover } from '../transforms/crop.js';
import { normalize } from '../transforms/normalize.js';
import { augmentImage, checkAugmentOptions } from '../augment/augment.js';
import { imagePreprocessorSchema, type ImagePreprocessorConfig } from './imagePreprocessorConfig.js';

/**
 * Turns one image into the flat `[height, width, channels]` float32 values of
 * a sample: decode → channels → resize → (training only) augmentation →
 * scale to [0, 1] → (x - mean) / std.
 *
 * This browser-safe class takes encoded bytes (`Uint8Array`) or an already
 * decoded ImageArray with values in [0, 255]. `@polyfuse/image/node`
 * registers `preprocessor/image`, which also reads file paths and can decode
 * with sharp.
 */
export class ImagePreprocessor implements Preprocessor {
  readonly config: ImagePreprocessorConfig & Record<string, unknown>;
  readonly outputShape: number[];
  readonly dtype = 'float32' as const;
  /** Only when `augment` names a transform. */
  readonly augments: boolean;

  constructor(config: Partial<ImagePreprocessorConfig> & { height: number; width: number }, path = 'preprocessor/image') {
    this.config = validateConfig<ImagePreprocessorConfig & Record<string, unknown>>(imagePreprocessorSchema, config as Record<string, unknown>, path);
    checkAugmentOptions(this.config.augment as Record<string, unknown>, `${path}.augment`);
    // Validates mean/std lengths against the channel count now rather than on the first sample.
    normalize({ data: new Float32Array(this.config.channels), height: 1, width: 1, channels: this.config.channels }, this.config.mean, this.config.std);
    this.outputShape = [this.config.height, this.config.width, this.config.channels];
    this.augments = Object.keys(this.config.augment as Record<string, unknown>).length > 0;
  }

  async process(value: unknown, context: PreprocessContext): Promise<Float32Array> {
    const source = describe(value);
    const decoded = await this.decode(value, context);
    return this.finish(decoded, context, source);
  }

  /** Decodes `value` to [0, 255] pixels; resizing here is optional (subclasses may resize natively). */
  protected async decode(value: unknown, _context: PreprocessContext): Promise<ImageArray> {
    if (value instanceof Uint8Array) return decodeImage(value, 'image bytes', { maxPixels: this.config.maxPixels });
    if (isImageArray(value)) return checkImage(value, 'image');
    throw new InputError(`preprocessor/image expects encoded image bytes (Uint8Array) or an ImageArray here, got ${describe(value)}. File paths need '@polyfuse/image/node'.`);
  }

  /** Channel conversion, resize, augmentation and normalisation of decoded pixels. */
  protected finish(decoded: ImageArray, context: PreprocessContext, source: string): Float32Array {
    const { channels, height, width, resize, mean, std, augment } = this.config;
    if (![1, 2, 3, 4].includes(decoded.channels)) {
      throw new InputError(`${source}: images with ${decoded.channels} channels are not supported (expected 1-4).`);
    }
    let image = convertChannels(decoded, channels);
    if (image.height !== height || image.width !== width) {
      if (resize === 'none') {
        throw new InputError(`${source}: image is ${image.height}×${image.width} but ${height}×${width} is required and resize is 'none'.`);
      }
      image = resize === 'cover' ? resizeCover(image, height, width, resizeBilinear) : resizeBilinear(image, height, width);
    }
    image = toUnitRange(image);
    if (context.training && Object.keys(augment).length > 0) image = augmentImage(image, augment, context.rng);
    return normalize(image, mean, std).data;
  }
}

function isImageArray(value: unknown): value is ImageArray {
  return typeof value === 'object' && value !== null && (value as ImageArray).data instanceof Float32Array;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return `image bytes (${value.length} bytes)`;
  return value === null ? 'null' : typeof value;
}

// Browser registration (bytes in); '@polyfuse/image/node' replaces it with the file-reading version.
registry.register(
  {
    kind: 'preprocessor',
    name: 'image',
    description: 'Encoded PNG/JPEG bytes → [height, width, channels] float32: decode, resize, augment (training), normalise.',
    schema: imagePreprocessorSchema,
    create: (config: ImagePreprocessorConfig) => new ImagePreprocessor(config),
  },
  { override: true },
);
