import type { PngChunks } from './pngChunks.js';

/** Samples per pixel for each PNG colour type. */
export const samplesPerPixel: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Writes one unfiltered row of `count` pixels as 8-bit RGBA into `out`,
 * pixel k at `outOffset + k * outStep` (the step skips the columns another
 * Adam7 pass fills). Values are what pngjs 7 gives: gray and 1–4-bit samples
 * scaled by `round(v × 255 / (2^depth − 1))`, 16-bit ones the same way
 * (`round(v / 257)`, not the high byte), palette entries looked up with tRNS
 * alpha (255 past its end). A gray or RGB pixel equal to the tRNS colour gets
 * alpha 0 and keeps its colour, as libpng, sharp, PIL and browsers do (pngjs
 * zeroes its colour as well).
 */
export function expandRow(png: PngChunks, data: Uint8Array, offset: number, count: number, out: Uint8Array, outOffset: number, outStep: number): void {
  const { colorType, bitDepth, palette, transparency } = png;
  if (bitDepth === 8 && colorType !== 3 && !transparency) return expandRow8(colorType, data, offset, count, out, outOffset, outStep);
  const samples = samplesPerPixel[colorType]!;
  const max = 2 ** bitDepth - 1;
  const pixel = [0, 0, 0, 0];
  for (let k = 0, o = outOffset; k < count; k++, o += outStep) {
    for (let s = 0; s < samples; s++) pixel[s] = sample(data, offset, k * samples + s, bitDepth);
    if (colorType === 3) {
      const index = pixel[0]!;
      if (3 * index + 2 >= palette!.length) throw new Error(`palette index ${index} is past the palette's ${palette!.length / 3} entries`);
      out[o] = palette![3 * index]!;
      out[o + 1] = palette![3 * index + 1]!;
      out[o + 2] = palette![3 * index + 2]!;
      out[o + 3] = transparency && index < transparency.length ? transparency[index]! : 255;
      continue;
    }
    const gray = colorType === 0 || colorType === 4;
    const hidden = transparency !== undefined && (gray ? pixel[0] === transparency[0] : pixel[0] === transparency[0] && pixel[1] === transparency[1] && pixel[2] === transparency[2]);
    const r = scale(pixel[0]!, max);
    out[o] = r;
    out[o + 1] = gray ? r : scale(pixel[1]!, max);
    out[o + 2] = gray ? r : scale(pixel[2]!, max);
    out[o + 3] = hidden ? 0 : colorType === 4 ? scale(pixel[1]!, max) : colorType === 6 ? scale(pixel[3]!, max) : 255;
  }
}

/** The common case without per-sample arithmetic: 8-bit gray, gray + alpha, RGB or RGBA, no tRNS. */
function expandRow8(colorType: number, data: Uint8Array, offset: number, count: number, out: Uint8Array, outOffset: number, outStep: number): void {
  let i = offset;
  let o = outOffset;
  switch (colorType) {
    case 0:
      for (let k = 0; k < count; k++, o += outStep) {
        const v = data[i++]!;
        out[o] = out[o + 1] = out[o + 2] = v;
        out[o + 3] = 255;
      }
      return;
    case 4:
      for (let k = 0; k < count; k++, o += outStep) {
        const v = data[i++]!;
        out[o] = out[o + 1] = out[o + 2] = v;
        out[o + 3] = data[i++]!;
      }
      return;
    case 2:
      for (let k = 0; k < count; k++, o += outStep) {
        out[o] = data[i++]!;
        out[o + 1] = data[i++]!;
        out[o + 2] = data[i++]!;
        out[o + 3] = 255;
      }
      return;
    case 6:
      if (outStep === 4) {
        out.set(data.subarray(offset, offset + count * 4), outOffset);
        return;
      }
      for (let k = 0; k < count; k++, o += outStep) {
        out[o] = data[i++]!;
        out[o + 1] = data[i++]!;
        out[o + 2] = data[i++]!;
        out[o + 3] = data[i++]!;
      }
  }
}

/** The n-th sample of a row, for depths 1, 2, 4 (packed from the high bit), 8 and 16 (big-endian). */
function sample(data: Uint8Array, offset: number, n: number, depth: number): number {
  if (depth === 8) return data[offset + n]!;
  if (depth === 16) return (data[offset + 2 * n]! << 8) | data[offset + 2 * n + 1]!;
  const bit = n * depth;
  const shift = 8 - depth - (bit & 7);
  return (data[offset + (bit >> 3)]! >> shift) & ((1 << depth) - 1);
}

/** pngjs's rescaling to 8 bits, same expression so the rounding matches. */
function scale(value: number, max: number): number {
  return max === 255 ? value : Math.floor((value * 255) / max + 0.5);
}
