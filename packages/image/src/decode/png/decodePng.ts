import { unzlibSync } from 'fflate';
import { readPngChunks } from './pngChunks.js';
import { unfilterRows } from './unfilterRows.js';
import { expandRow, samplesPerPixel } from './expandPixels.js';

/** Adam7's seven passes: first column, first row, column step, row step. */
const adam7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/**
 * Decodes a PNG file to 8-bit RGBA, synchronously and with no Node module,
 * so the same code (and the same pixels) runs in Node, browsers and workers:
 * every colour type and bit depth (1–16), palettes with tRNS alpha, tRNS
 * colour keys, Adam7 interlacing and all five filters, inflated by fflate.
 * Pixels match pngjs 7 (see expandRow for the one documented difference).
 * Throws an Error saying what is wrong; the caller adds the file name and
 * checks the pixel limit on the header before calling.
 */
export function decodePng(bytes: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const png = readPngChunks(bytes);
  const { width, height, bitDepth, colorType } = png;
  const bitsPerPixel = samplesPerPixel[colorType]! * bitDepth;
  const bytesPerPixel = Math.max(1, bitsPerPixel >> 3);
  const passes = png.interlaced ? adam7 : ([[0, 0, 1, 1]] as const);
  const sizes = passes.map(([x0, y0, dx, dy]) => {
    const columns = Math.ceil((width - x0) / dx);
    const rows = Math.ceil((height - y0) / dy);
    return { columns, rows, rowBytes: Math.ceil((columns * bitsPerPixel) / 8) };
  });
  // A pass with no columns or no rows stores nothing, not even filter bytes.
  const expected = sizes.reduce((sum, { columns, rows, rowBytes }) => sum + (columns > 0 && rows > 0 ? rows * (rowBytes + 1) : 0), 0);
  // Deflate expands at most 1032:1, so a header declaring more than the data can hold is refused before allocating.
  const mostInflated = png.compressed.length * 1032 + 1024;
  if (expected > mostInflated) throw new Error(`image data ends early: ${png.compressed.length} compressed bytes cannot hold the ${expected} the header declares (truncated file?)`);
  let raw: Uint8Array;
  try {
    raw = unzlibSync(png.compressed, { out: new Uint8Array(expected) });
  } catch (error) {
    throw new Error(`image data does not inflate (${error instanceof Error ? error.message : String(error)})`);
  }
  if (raw.length < expected) throw new Error(`image data ends early: ${raw.length} of ${expected} bytes (truncated file?)`);
  const out = new Uint8Array(width * height * 4);
  let offset = 0;
  passes.forEach(([x0, y0, dx, dy], p) => {
    const { columns, rows, rowBytes } = sizes[p]!;
    if (columns <= 0 || rows <= 0) return;
    unfilterRows(raw, offset, rows, rowBytes, bytesPerPixel);
    for (let y = 0; y < rows; y++) {
      expandRow(png, raw, offset + y * (rowBytes + 1) + 1, columns, out, ((y0 + y * dy) * width + x0) * 4, dx * 4);
    }
    offset += rows * (rowBytes + 1);
  });
  return { width, height, data: out };
}
