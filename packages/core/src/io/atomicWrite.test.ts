import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDirectoryAtomic, writeFileAtomic } from './atomicWrite.js';
import { makeDirectory } from './makeDirectory.js';

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-atomic-'));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('survives many concurrent writes of one file: each is whole, none leaves a temporary file', async () => {
    const file = path.join(root, 'nested', 'state.json');
    const contents = Array.from({ length: 40 }, (_, i) => JSON.stringify({ write: i, padding: 'x'.repeat(10_000) }));
    await Promise.all(contents.map((text) => writeFileAtomic(file, text)));
    expect(contents).toContain(await fs.readFile(file, 'utf8'));
    expect(await fs.readdir(path.dirname(file))).toEqual(['state.json']);
  });
});

describe('writeDirectoryAtomic', () => {
  it('replaces a folder as a whole and leaves no temporary or old folder', async () => {
    const dir = path.join(root, 'model');
    await writeDirectoryAtomic(dir, { 'a.txt': 'one', 'b.txt': 'two' });
    await writeDirectoryAtomic(dir, { 'c.txt': 'three' });
    expect(await fs.readdir(dir)).toEqual(['c.txt']);
    expect((await fs.readdir(root)).filter((name) => name.startsWith('model'))).toEqual(['model']);
  });
});

describe('makeDirectory', () => {
  it('creates missing parents and names a file that is in the way', async () => {
    await makeDirectory(path.join(root, 'a', 'b', 'c'));
    expect(existsSync(path.join(root, 'a', 'b', 'c'))).toBe(true);
    await fs.writeFile(path.join(root, 'file'), '');
    await expect(makeDirectory(path.join(root, 'file', 'x'))).rejects.toMatchObject({ code: 'ENOTDIR', path: path.join(root, 'file') });
  });

  it.skipIf(!existsSync('/proc/self'))('fails at once where the file system makes no folders (procfs), where recursive mkdir never returns', async () => {
    await expect(makeDirectory('/proc/polyfuse-test/run')).rejects.toMatchObject({ code: 'ENOMKDIR', path: '/proc/polyfuse-test' });
    await expect(writeFileAtomic('/proc/polyfuse-test/a.json', '{}')).rejects.toMatchObject({ code: 'ENOMKDIR' });
  });
});
