import { InputError } from '@polyfuse/core';
import type { ImageArray } from '../image/imageArray.js';
import { defaultMaxPixels } from '../decode/decodeImage.js';

type SharpFactory = (input: Uint8Array, options?: { failOn?: string; limitInputPixels?: number }) => {
  removeAlpha(): ReturnType<SharpFactory>;
  resize(width: number, height: number, options: { fit: string; kernel: string }): ReturnType<SharpFactory>;
  raw(): ReturnType<SharpFactory>;
  toBuffer(options: { resolveWithObject: true }): Promise<{ data: Uint8Array; info: { width: number; height: number; channels: number } }>;
};

let sharpPromise: Promise<SharpFactory | undefined> | undefined;

/** sharp, if its native binary loads on this machine; undefined otherwise (then we decode in pure JS). */
export function loadSharp(): Promise<SharpFactory | undefined> {
  sharpPromise ??= import(/* @vite-ignore */ 'sharp' as string)
    .then((module: { default: SharpFactory }) => module.default)
    .catch(() => undefined);
  return sharpPromise;
}

/**
 * Decodes (and optionally resizes) with sharp/libvips: alpha removed, values
 * in [0, 255], 1 or 3 channels as stored. `resize.fit` is `fill` (stretch)
 * or `cover` (keep aspect, centre crop); the kernel is bilinear, so results
 * are close to, not bit-identical with, the pure-JS path.
 */
export async function decodeWithSharp(
  sharp: SharpFactory,
  bytes: Uint8Array,
  source: string,
  resize?: { height: number; width: number; fit: 'fill' | 'cover' },
  maxPixels = defaultMaxPixels,
): Promise<ImageArray> {
  try {
    // libvips checks the limit on the header too, also for formats whose headers we do not read (WebP, GIF, TIFF).
    let pipeline = sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels }).removeAlpha();
    if (resize) pipeline = pipeline.resize(resize.width, resize.height, { fit: resize.fit, kernel: 'linear' });
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i]!;
    return { data: out, height: info.height, width: info.width, channels: info.channels };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(reason)) {
      throw new InputError(`${source}: the image has more pixels than the limit of ${maxPixels.toLocaleString('en-US')} (maxPixels). Shrink the image, or raise the image preprocessor's maxPixels if it is genuine.`, { cause: error });
    }
    throw new InputError(`${source}: corrupt or unsupported image (${reason}).`, { cause: error });
  }
}
