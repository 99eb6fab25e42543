import { InputError } from '@polyfuse/core';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
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
 * Decodes PNG or JPEG bytes in pure JavaScript (pngjs, jpeg-js), so it runs in
 * browsers and wherever sharp cannot load. Returns RGBA values in [0, 255]
 * (4 channels; use `convertChannels` for 1 or 3). `source` (a file name)
 * appears in the InputError thrown for empty, unknown or corrupt data.
 */
export function decodeImage(bytes: Uint8Array, source = 'image'): ImageArray {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new InputError(`${source}: image data is empty.`);
  }
  const format = detectImageFormat(bytes);
  if (!format) {
    throw new InputError(`${source}: not a PNG or JPEG file (unrecognised leading bytes ${hex(bytes.subarray(0, 4))}).`);
  }
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    rgba = format === 'png' ? PNG.sync.read(toBuffer(bytes)) : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`${source}: corrupt or unsupported ${format.toUpperCase()} data (${reason}).`, { cause: error });
  }
  if (!(rgba.width > 0 && rgba.height > 0) || rgba.data.length < rgba.width * rgba.height * 4) {
    throw new InputError(`${source}: ${format.toUpperCase()} decoded to no pixels (truncated file?).`);
  }
  const data = new Float32Array(rgba.width * rgba.height * 4);
  for (let i = 0; i < data.length; i++) data[i] = rgba.data[i]!;
  return { data, height: rgba.height, width: rgba.width, channels: 4 };
}

function toBuffer(bytes: Uint8Array): Uint8Array {
  // pngjs expects a Node Buffer where one exists (it calls Buffer methods on it).
  const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBuffer, o: number, l: number): Uint8Array } }).Buffer;
  return NodeBuffer ? NodeBuffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength) : bytes;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ') || '(none)';
}
