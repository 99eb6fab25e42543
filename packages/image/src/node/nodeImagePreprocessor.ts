import path from 'node:path';
import { InputError, registry, type PreprocessContext } from '@polyfuse/core';
import { ImagePreprocessor } from '../preprocess/imagePreprocessor.js';
import { imagePreprocessorSchema, type ImagePreprocessorConfig } from '../preprocess/imagePreprocessorConfig.js';
import { checkPixelLimit, decodeImage } from '../decode/decodeImage.js';
import type { ImageArray } from '../image/imageArray.js';
import { decodeWithSharp, loadSharp } from './sharpDecoder.js';
import { readBinaryFile } from './readImageFile.js';

/**
 * `preprocessor/image` for Node: values are PNG/JPEG paths relative to the
 * manifest folder (`context.baseDir`), or bytes. Decodes with sharp when it
 * loads (`decoder: 'auto'`), else pngjs/jpeg-js; `decoder: 'sharp'` makes a
 * missing sharp an error. With sharp the resize runs in libvips too.
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
    if (decoder !== 'js') {
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
