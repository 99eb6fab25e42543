import { promises as fs } from 'node:fs';
import { decodeImage, detectImageFormat, resizeBilinear, type ImageArray } from '@polyfuse/image';
import { encodePng } from './encodePng.js';

/** What a thumbnail request found: an embeddable image, a file that is not PNG/JPEG, or no readable file. */
export type Thumbnail = { kind: 'image'; dataUri: string; width: number; height: number } | { kind: 'other' } | { kind: 'missing' };

/** Files this small (and no larger than the thumbnail) are embedded as they are, keeping JPEG's compression. */
const embedAsIsBytes = 48 * 1024;

/**
 * Makes `data:` URI thumbnails of PNG/JPEG files, so the report embeds its
 * images and never links outside its folder. An image is decoded (pngjs,
 * jpeg-js via @polyfuse/image), halved by 2×2 averaging while it is at least
 * twice the size (bilinear alone would alias), resized bilinearly so its
 * longer side is at most `maxSide`, and encoded as PNG (RGB when opaque).
 * Results are cached per file and size: match examples repeat images.
 */
export function createThumbnailer(): (file: string, maxSide: number) => Promise<Thumbnail> {
  const cache = new Map<string, Promise<Thumbnail>>();
  return (file, maxSide) => {
    const key = `${maxSide}:${file}`;
    if (!cache.has(key)) cache.set(key, thumbnail(file, maxSide));
    return cache.get(key)!;
  };
}

async function thumbnail(file: string, maxSide: number): Promise<Thumbnail> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch {
    return { kind: 'missing' };
  }
  const format = detectImageFormat(bytes);
  if (!format) return { kind: 'other' };
  let image: ImageArray;
  try {
    image = decodeImage(bytes, file);
  } catch {
    return { kind: 'other' };
  }
  const scale = Math.min(1, maxSide / Math.max(image.height, image.width));
  const [height, width] = [Math.max(1, Math.round(image.height * scale)), Math.max(1, Math.round(image.width * scale))];
  if (scale === 1 && bytes.length <= embedAsIsBytes) {
    return { kind: 'image', dataUri: `data:image/${format};base64,${Buffer.from(bytes).toString('base64')}`, width, height };
  }
  while (image.height >= 2 * height && image.width >= 2 * width) image = halve(image);
  image = resizeBilinear(image, height, width);
  const opaque = image.channels === 4 && image.data.every((v, i) => i % 4 !== 3 || v >= 255);
  const channels = opaque ? 3 : 4;
  const pixels = new Uint8Array(height * width * channels);
  for (let p = 0; p < height * width; p++) {
    for (let c = 0; c < channels; c++) pixels[p * channels + c] = Math.round(Math.min(255, Math.max(0, image.data[p * image.channels + c]!)));
  }
  return { kind: 'image', dataUri: `data:image/png;base64,${Buffer.from(encodePng(pixels, width, height, channels)).toString('base64')}`, width, height };
}

/** Half the size, each output pixel the mean of a 2×2 block (a last odd row or column is dropped). */
function halve(image: ImageArray): ImageArray {
  const { data, width: inW, channels: c } = image;
  const [height, width] = [Math.floor(image.height / 2), Math.floor(inW / 2)];
  const out = new Float32Array(height * width * c);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = (2 * y * inW + 2 * x) * c;
      const b = a + inW * c;
      for (let k = 0; k < c; k++) out[(y * width + x) * c + k] = (data[a + k]! + data[a + c + k]! + data[b + k]! + data[b + c + k]!) / 4;
    }
  }
  return { data: out, height, width, channels: c };
}
