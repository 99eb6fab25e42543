import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodePng } from './decodePng.js';

// The reference apps' real images (MNIST, Fashion-MNIST scenes, emoji art), when their data scripts have run.
const apps = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../apps');
const folders = ['av-digits/data/images', 'scenes/data/images', 'emoji-match/data/images'].map((folder) => path.join(apps, folder));

/** Every `step`-th PNG under a folder, in name order, so the sample is the same on every run. */
function samplePngs(folder: string, step: number): string[] {
  const all = (readdirSync(folder, { recursive: true }) as string[]).filter((name) => name.endsWith('.png')).sort();
  return all.filter((_, i) => i % step === 0).map((name) => path.join(folder, name));
}

describe.each(folders)('decodePng on the app images in %s', (folder) => {
  it.skipIf(!existsSync(folder))('gives pngjs\'s pixels for every 40th file', () => {
    const files = samplePngs(folder, 40);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const bytes = readFileSync(file);
      const ours = decodePng(new Uint8Array(bytes));
      const reference = PNG.sync.read(bytes);
      expect([ours.width, ours.height]).toEqual([reference.width, reference.height]);
      if (!Buffer.from(ours.data.buffer, ours.data.byteOffset, ours.data.length).equals(reference.data)) expect.fail(`${file}: pixels differ from pngjs`);
    }
  });
});
