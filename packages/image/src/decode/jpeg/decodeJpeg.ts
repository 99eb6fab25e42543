import decodeJpegJs from 'jpeg-js/lib/decoder.js';

/**
 * Decodes a baseline or progressive JPEG to 8-bit RGBA with jpeg-js, into a
 * Uint8Array (`useTArray`), so it needs no Node `Buffer` and bundles for
 * browsers as is. jpeg-js enforces the pixel and memory limits itself too.
 */
export function decodeJpeg(bytes: Uint8Array, maxPixels: number): { width: number; height: number; data: Uint8Array } {
  return decodeJpegJs(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: maxPixels / 1e6,
    maxMemoryUsageInMB: Math.max(1024, Math.ceil((maxPixels * 8) / 2 ** 20)),
  });
}
