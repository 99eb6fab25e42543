import { describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeImage } from '@polyfuse/image';
import { encodePng } from './encodePng.js';
import { createThumbnailer } from './imageThumbnail.js';

/** A `height × width` RGB gradient. */
function gradient(height: number, width: number): Uint8Array {
  return Uint8Array.from({ length: height * width * 3 }, (_, i) => {
    const p = Math.floor(i / 3);
    return [(255 * (p % width)) / width, (255 * Math.floor(p / width)) / height, 128][i % 3]!;
  });
}

describe('createThumbnailer', () => {
  it('shrinks a large image to a PNG data URI, embeds a small one as it is, and says when a file is no image or missing', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-thumb-'));
    await fs.writeFile(path.join(dir, 'big.png'), encodePng(gradient(300, 400), 400, 300, 3));
    const small = encodePng(gradient(8, 8), 8, 8, 3);
    await fs.writeFile(path.join(dir, 'small.png'), small);
    await fs.writeFile(path.join(dir, 'sound.wav'), 'RIFF....WAVEfmt ');
    const thumbnail = createThumbnailer();

    const big = await thumbnail(path.join(dir, 'big.png'), 100);
    expect(big).toMatchObject({ kind: 'image', width: 100, height: 75 });
    const bytes = Buffer.from((big as { dataUri: string }).dataUri.replace(/^data:image\/png;base64,/, ''), 'base64');
    const decoded = decodeImage(new Uint8Array(bytes));
    expect([decoded.width, decoded.height]).toEqual([100, 75]);
    // Averaging keeps the gradient: the left edge dark red, the right edge bright red.
    expect(decoded.data[0]).toBeLessThan(20);
    expect(decoded.data[(100 - 1) * 4]).toBeGreaterThan(235);

    expect(await thumbnail(path.join(dir, 'small.png'), 100)).toEqual({ kind: 'image', dataUri: `data:image/png;base64,${Buffer.from(small).toString('base64')}`, width: 8, height: 8 });
    expect(await thumbnail(path.join(dir, 'sound.wav'), 100)).toEqual({ kind: 'other' });
    expect(await thumbnail(path.join(dir, 'gone.png'), 100)).toEqual({ kind: 'missing' });
  });
});
