import { InputError } from '@polyfuse/core';
import { decodePng } from './png/decodePng.js';
import { decodeJpeg } from './jpeg/decodeJpeg.js';
import type { ImageArray } from '../image/imageArray.js';

/** Image container formats we can decode. */
export type ImageFormat = 'png' | 'jpeg';

/** The format named by the file's magic bytes, or undefined. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/**
 * Default largest image, in pixels (width × height), that the decoders
 * accept: 50 megapixels (e.g. 8660 × 5773). Decoded to float32 RGBA such an
 * image takes 800 MB; a small file can declare far more (a decompression
 * bomb), so the limit is checked on the header, before anything is allocated.
 */
export const defaultMaxPixels = 50_000_000;

/** Options of `decodeImage`. */
export interface DecodeImageOptions {
  /** Largest width × height accepted; larger images are an InputError before decoding. Default `defaultMaxPixels`. */
  maxPixels?: number;
}

/**
 * Width and height as a PNG's IHDR or a JPEG's start-of-frame header declares
 * them, without decoding; undefined when the header is not found.
 */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | undefined {
  const format = detectImageFormat(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'png') {
    // Signature (8), then the IHDR chunk: length (4), 'IHDR', width (4), height (4).
    if (bytes.length < 24 || String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!) !== 'IHDR') return undefined;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (format === 'jpeg') {
    let offset = 2;
    while (offset + 4 <= bytes.length) {
      if (bytes[offset] !== 0xff) return undefined;
      const marker = bytes[offset + 1]!;
      if (marker === 0xff) {
        offset++; // fill byte
        continue;
      }
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
        offset += 2; // markers without a segment
        continue;
      }
      if (marker === 0xda || marker === 0xd9) return undefined; // scan data before any frame header
      const length = view.getUint16(offset + 2);
      // SOF0-3, 5-7, 9-11, 13-15: length (2), precision (1), height (2), width (2).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        if (offset + 9 > bytes.length) return undefined;
        return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
      }
      offset += 2 + length;
    }
  }
  return undefined;
}

/**
 * Throws an InputError naming `source`, the declared size and the limit when
 * the image's header declares more than `maxPixels` pixels.
 */
export function checkPixelLimit(bytes: Uint8Array, source: string, maxPixels = defaultMaxPixels): void {
  const size = imageDimensions(bytes);
  if (size && size.width * size.height > maxPixels) {
    throw new InputError(
      `${source}: the image declares ${size.width}×${size.height} = ${(size.width * size.height).toLocaleString('en-US')} pixels, more than the limit of ${maxPixels.toLocaleString('en-US')} (maxPixels). ` +
        `Shrink the image, or raise the image preprocessor's maxPixels if it is genuine.`,
    );
  }
}

/**
 * Decodes PNG or JPEG bytes in pure JavaScript with no Node module (our PNG
 * decoder over fflate's inflate, jpeg-js's decoder), so it runs in browsers,
 * workers and wherever sharp cannot load, with the same pixels. Returns RGBA values in [0, 255]
 * (4 channels; use `convertChannels` for 1 or 3). `source` (a file name)
 * appears in the InputError thrown for empty, unknown or corrupt data, and
 * for an image over `options.maxPixels` (checked on the header, before decoding).
 */
export function decodeImage(bytes: Uint8Array, source = 'image', options: DecodeImageOptions = {}): ImageArray {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new InputError(`${source}: image data is empty.`);
  }
  const format = detectImageFormat(bytes);
  if (!format) {
    throw new InputError(`${source}: not a PNG or JPEG file (unrecognised leading bytes ${hex(bytes.subarray(0, 4))}).`);
  }
  const maxPixels = options.maxPixels ?? defaultMaxPixels;
  checkPixelLimit(bytes, source, maxPixels);
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    rgba = format === 'png' ? decodePng(bytes) : decodeJpeg(bytes, maxPixels);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`${source}: corrupt or unsupported ${format.toUpperCase()} data (${reason}).`, { cause: error });
  }
  if (!(rgba.width > 0 && rgba.height > 0) || rgba.data.length < rgba.width * rgba.height * 4) {
    throw new InputError(`${source}: ${format.toUpperCase()} decoded to no pixels (truncated file?).`);
  }
  const data = new Float32Array(rgba.data.subarray(0, rgba.width * rgba.height * 4));
  return { data, height: rgba.height, width: rgba.width, channels: 4 };
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ') || '(none)';
}
