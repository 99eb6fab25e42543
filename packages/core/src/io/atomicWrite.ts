import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeDirectory } from './makeDirectory.js';

let temporaryCount = 0;

/** A name beside `target` no other write of this process uses (`<target>.tmp-<pid>-<n>`). */
function temporaryName(target: string, kind: 'tmp' | 'old' = 'tmp'): string {
  temporaryCount += 1;
  return `${target}.${kind}-${process.pid}-${Date.now()}${String(temporaryCount).padStart(4, '0')}`;
}

/** Writes `data` to `file` and flushes it to the disk before returning, so a rename after it cannot expose an empty file after a power loss. */
async function writeDurably(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (the rename itself); some platforms cannot open folders, which is fine. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/**
 * Writes a file so that a crash, Ctrl-C or power loss never leaves it
 * half-written: the bytes go to a temporary file beside it, flushed to the
 * disk, which is then renamed over it (what write-file-atomic does; see
 * docs/architecture.md for why polyfuse keeps its own).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await makeDirectory(path.dirname(file));
  const temporary = temporaryName(file);
  try {
    await writeDurably(temporary, data);
    await fs.rename(temporary, file);
    await syncDirectory(path.dirname(file));
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Replaces a directory's contents atomically: files are written to a sibling
 * temporary directory, which then takes the directory's place. A crash leaves
 * either the old directory or the new one, never a mix.
 */
export async function writeDirectoryAtomic(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  await makeDirectory(parent);
  const temporary = temporaryName(dir);
  const previous = temporaryName(dir, 'old');
  await fs.mkdir(temporary);
  try {
    for (const [name, data] of Object.entries(files)) await writeDurably(path.join(temporary, name), data);
    await syncDirectory(temporary);
    let hadPrevious = false;
    try {
      await fs.rename(dir, previous);
      hadPrevious = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await fs.rename(temporary, dir);
    await syncDirectory(parent);
    if (hadPrevious) await fs.rm(previous, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true });
    throw error;
  }
}
