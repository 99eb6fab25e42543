/** What decoding needs from a PNG's chunks: the header, palette, transparency and the joined image data. */
export interface PngChunks {
  width: number;
  height: number;
  /** Bits per sample: 1, 2, 4, 8 or 16 (which ones depends on the colour type). */
  bitDepth: number;
  /** 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA. */
  colorType: number;
  interlaced: boolean;
  /** PLTE entries as RGB triples. */
  palette?: Uint8Array;
  /** tRNS: alpha per palette entry (type 3), or the raw sample values of the one transparent colour (types 0 and 2). */
  transparency?: Uint8Array | number[];
  /** The zlib stream split over the IDAT chunks, joined. */
  compressed: Uint8Array;
}

const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Bit depths the PNG specification allows for each colour type. */
const allowedDepths: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/**
 * Splits a PNG file into the chunks decoding needs, checking every chunk's
 * CRC (a flipped bit fails here, with the chunk's name, rather than as odd
 * pixels) and the header against the specification. Ancillary chunks other
 * than tRNS (gAMA, iCCP, text...) are skipped, as pngjs does: pixels are the
 * stored values, with no colour management.
 */
export function readPngChunks(bytes: Uint8Array): PngChunks {
  for (let i = 0; i < 8; i++) if (bytes[i] !== signature[i]) throw new Error('not a PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Omit<PngChunks, 'compressed' | 'palette' | 'transparency'> | undefined;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | number[] | undefined;
  const data: Uint8Array[] = [];
  let ended = false;
  for (let offset = 8; !ended; ) {
    if (offset + 12 > bytes.length) throw new Error(`file ends inside a chunk header at byte ${offset} (truncated file?)`);
    const length = view.getUint32(offset);
    const type = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!, bytes[offset + 6]!, bytes[offset + 7]!);
    const end = offset + 8 + length;
    if (end + 4 > bytes.length) throw new Error(`file ends inside the ${type} chunk (truncated file?)`);
    if (crc32(bytes, offset + 4, end) !== view.getUint32(end)) throw new Error(`CRC mismatch in the ${type} chunk`);
    const body = bytes.subarray(offset + 8, end);
    if (!header && type !== 'IHDR') throw new Error(`the first chunk is ${type}, expected IHDR`);
    switch (type) {
      case 'IHDR':
        header = readHeader(body);
        break;
      case 'PLTE':
        if (length === 0 || length % 3 !== 0 || length > 256 * 3) throw new Error(`PLTE chunk of ${length} bytes; expected a multiple of 3, at most 768`);
        palette = body;
        break;
      case 'tRNS':
        transparency = readTransparency(body, header!.colorType, header!.bitDepth);
        break;
      case 'IDAT':
        data.push(body);
        break;
      case 'IEND':
        ended = true;
        break;
      default:
        // Unknown critical chunks (upper-case first letter) change how pixels read; ancillary ones do not.
        if (type.charCodeAt(0) < 0x61) throw new Error(`unknown critical chunk ${type}`);
    }
    offset = end + 4;
  }
  if (data.length === 0) throw new Error('no IDAT chunk');
  if (header!.colorType === 3 && !palette) throw new Error('palette image (colour type 3) without a PLTE chunk');
  return { ...header!, palette, transparency, compressed: join(data) };
}

function readHeader(body: Uint8Array): Omit<PngChunks, 'compressed' | 'palette' | 'transparency'> {
  if (body.length !== 13) throw new Error(`IHDR chunk of ${body.length} bytes, expected 13`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [bitDepth, colorType, compression, filter, interlace] = [body[8]!, body[9]!, body[10]!, body[11]!, body[12]!];
  if (width === 0 || height === 0) throw new Error(`IHDR declares ${width}×${height} pixels`);
  const depths = allowedDepths[colorType];
  if (!depths) throw new Error(`colour type ${colorType}; expected 0, 2, 3, 4 or 6`);
  if (!depths.includes(bitDepth)) throw new Error(`bit depth ${bitDepth} with colour type ${colorType}; expected one of ${depths.join(', ')}`);
  if (compression !== 0 || filter !== 0) throw new Error(`compression method ${compression} / filter method ${filter}; expected 0 / 0`);
  if (interlace > 1) throw new Error(`interlace method ${interlace}; expected 0 (none) or 1 (Adam7)`);
  return { width, height, bitDepth, colorType, interlaced: interlace === 1 };
}

function readTransparency(body: Uint8Array, colorType: number, bitDepth: number): Uint8Array | number[] {
  if (colorType === 3) return body;
  const samples = colorType === 0 ? 1 : colorType === 2 ? 3 : 0;
  if (samples === 0) throw new Error(`tRNS chunk in an image with an alpha channel (colour type ${colorType})`);
  if (body.length !== samples * 2) throw new Error(`tRNS chunk of ${body.length} bytes for colour type ${colorType}, expected ${samples * 2}`);
  // Each sample is stored in 2 bytes whatever the bit depth; only the low bitDepth bits count.
  const mask = 2 ** bitDepth - 1;
  return Array.from({ length: samples }, (_, i) => ((body[2 * i]! << 8) | body[2 * i + 1]!) & mask);
}

function join(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG uses) of bytes[start, end). */
function crc32(bytes: Uint8Array, start: number, end: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
