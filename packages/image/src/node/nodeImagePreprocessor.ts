import path from 'node:path';
import { InputError, registry, type PreprocessContext } from '@polyfuse/core';
import { ImagePreprocessor } from '../preprocess/imagePreprocessor.js';
import { imagePreprocessorSchema, type ImagePreprocessorConfig } from '../preprocess/imagePreprocessorConfig.js';
import { checkPixelLimit, decodeImage, detectImageFormat, imageDimensions } from '../decode/decodeImage.js';
import type { ImageArray } from '../image/imageArray.js';
import { decodeWithSharp, loadSharp } from './sharpDecoder.js';
import { readBinaryFile } from './readImageFile.js';

/**
 * `preprocessor/image` for Node: values are PNG/JPEG paths relative to the
 * manifest folder (`context.baseDir`), or bytes. Decodes with sharp when it
 * loads (`decoder: 'auto'`), else with the pure-JS decoders; `decoder:
 * 'sharp'` makes a missing sharp an error. With sharp the resize runs in
 * libvips too. `auto` also takes the JS decoder for small PNGs that need no
 * resize (see `smallExactPng`): same pixels, a fraction of sharp's per-call cost.
 */
export class NodeImagePreprocessor extends ImagePreprocessor {
  protected override async decode(value: unknown, context: PreprocessContext): Promise<ImageArray> {
    let bytes: Uint8Array;
    let source: string;
    if (typeof value === 'string') {
      if (value.length === 0) throw new InputError('preprocessor/image: empty file path.');
      source = path.resolve(context.baseDir, value);
      bytes = await readBinaryFile(source);
    } else if (value instanceof Uint8Array) {
      source = 'image bytes';
      bytes = value;
    } else {
      return super.decode(value, context);
    }
    const { decoder, height, width, resize, maxPixels } = this.config;
    // Before any decoder allocates: a small file can declare gigabytes of pixels.
    checkPixelLimit(bytes, source, maxPixels);
    if (decoder === 'sharp' || (decoder === 'auto' && !smallExactPng(bytes, height, width, resize))) {
      const sharp = await loadSharp();
      if (sharp) {
        return decodeWithSharp(sharp, bytes, source, resize === 'none' ? undefined : { height, width, fit: resize === 'cover' ? 'cover' : 'fill' }, maxPixels);
      }
      if (decoder === 'sharp') throw new InputError(`${source}: decoder 'sharp' was requested but sharp could not be loaded; use decoder 'auto' or 'js'.`);
    }
    return decodeImage(bytes, source, { maxPixels });
  }

  override async process(value: unknown, context: PreprocessContext): Promise<Float32Array> {
    const source = typeof value === 'string' ? path.resolve(context.baseDir, value) : 'image bytes';
    return this.finish(await this.decode(value, context), context, source);
  }
}

/**
 * Largest PNG, in pixels, that `decoder: 'auto'` decodes in JavaScript. Per
 * image through this preprocessor (RGB, photo-like content, 2-core VM): 28²
 * 0.43 ms against sharp's 0.89, 64² 0.71 against 1.38, 128² 1.92 against
 * 1.95, 512² 24 against 18; sharp's fixed cost per call is what small images
 * pay for.
 */
export const jsDecoderMaxPixels = 128 * 128;

/**
 * A PNG of at most 8 bits per sample and `jsDecoderMaxPixels`, already the
 * output size (or `resize: 'none'`): the pure-JS decoder gives exactly
 * sharp's values for it (checked over every colour type, palette,
 * transparency and interlacing in nodeImagePreprocessor.test.ts). 16-bit
 * samples differ by one level (sharp keeps the high byte, the JS decoder
 * rounds), and resizing differs between libvips and the JS path, so those
 * stay with sharp.
 */
function smallExactPng(bytes: Uint8Array, height: number, width: number, resize: string): boolean {
  if (detectImageFormat(bytes) !== 'png' || bytes.length < 26) return false;
  const size = imageDimensions(bytes);
  if (!size || size.width * size.height > jsDecoderMaxPixels) return false;
  const bitDepth = bytes[24]!;
  return bitDepth <= 8 && (resize === 'none' || (size.height === height && size.width === width));
}

registry.register(
  {
    kind: 'preprocessor',
    name: 'image',
    description: 'PNG/JPEG file → [height, width, channels] float32: decode, resize, augment (training), normalise.',
    schema: imagePreprocessorSchema,
    create: (config: ImagePreprocessorConfig) => new NodeImagePreprocessor(config),
  },
  { override: true },
);
