import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';

/** A smooth RGBA gradient (so lossy codecs and resamplers stay close to it), as raw bytes. */
export function gradientRgba(height: number, width: number): Uint8Array {
  const data = new Uint8Array(height * width * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = Math.round((255 * x) / (width - 1));
      data[i + 1] = Math.round((255 * y) / (height - 1));
      data[i + 2] = 128;
      data[i + 3] = 255;
    }
  }
  return data;
}

/** PNG bytes of RGBA pixels (pngjs). */
export function encodePng(rgba: Uint8Array, height: number, width: number): Uint8Array {
  return new Uint8Array(PNG.sync.write({ width, height, data: rgba }));
}

/** JPEG bytes of RGBA pixels (jpeg-js, quality 95). */
export function encodeJpeg(rgba: Uint8Array, height: number, width: number): Uint8Array {
  return new Uint8Array(jpeg.encode({ data: rgba, width, height }, 95).data);
}
