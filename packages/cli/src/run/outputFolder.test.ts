import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { WriteError, makeDirectory, prepareOutputFolder, realPath, writeError, writingTo } from './outputFolder.js';

const errno = (code: string, file?: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: raw text, write '${file}'`), { code, ...(file ? { path: file } : {}) });

describe('output folders', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-output-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('explains each file-system error: what could not be written, where, why and what to do, without temporary names', () => {
    expect(realPath('/runs/a/model/weights.bin.tmp-123-1700000000000')).toBe('/runs/a/model/weights.bin');
    expect(realPath('/runs/a/model.tmp-123-1700000000000/weights.bin')).toBe('/runs/a/model/weights.bin');
    expect(writeError(errno('EACCES', '/runs/a/config.json.tmp-9-9'), 'the run folder', '/runs/a', 'or choose another --out').message).toBe(
      'could not write the run folder /runs/a (at /runs/a/config.json): permission denied (EACCES). Write to a folder you own, or fix its permissions, or choose another --out.',
    );
    expect(writeError(errno('ENOSPC'), 'the predictions', '/out/p.csv').message).toBe('could not write the predictions /out/p.csv: the disk is full (ENOSPC). Free some space, or write somewhere else.');
    for (const code of ['EROFS', 'ENOTDIR', 'EPERM', 'EDQUOT', 'EISDIR']) expect(writeError(errno(code, '/x'), 'it', '/x').message).toMatch(new RegExp(`^could not write it /x: .+ \\(${code}\\)\\. .+\\.$`));
  });

  it('writingTo turns file-system errors into a WriteError and passes other errors through', async () => {
    await expect(writingTo('the report', '/r', () => Promise.reject(errno('EROFS', '/r.tmp-1-2')))).rejects.toThrow(WriteError);
    const other = new TypeError('not a file-system error');
    await expect(writingTo('the report', '/r', () => Promise.reject(other))).rejects.toBe(other);
  });

  it('makeDirectory creates missing parents one level at a time and names a file in the way', async () => {
    await makeDirectory(path.join(dir, 'a', 'b', 'c'));
    expect((await fs.stat(path.join(dir, 'a', 'b', 'c'))).isDirectory()).toBe(true);
    await makeDirectory(path.join(dir, 'a', 'b', 'c')); // exists: nothing to do
    await fs.writeFile(path.join(dir, 'file'), '');
    await expect(makeDirectory(path.join(dir, 'file', 'x', 'y'))).rejects.toMatchObject({ code: 'ENOTDIR', path: path.join(dir, 'file') });
  });

  it('prepareOutputFolder leaves the folder empty after checking it is writable', async () => {
    await prepareOutputFolder(path.join(dir, 'run'), 'the run folder');
    expect(await fs.readdir(path.join(dir, 'run'))).toEqual([]);
  });
});
