import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file so that a crash or Ctrl-C never leaves it half-written: the
 * bytes go to a temporary file beside it, which is then renamed over it.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    await fs.writeFile(temporary, data);
    await fs.rename(temporary, file);
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
  await fs.mkdir(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const temporary = `${dir}.tmp-${stamp}`;
  const previous = `${dir}.old-${stamp}`;
  await fs.mkdir(temporary, { recursive: true });
  try {
    for (const [name, data] of Object.entries(files)) await fs.writeFile(path.join(temporary, name), data);
    let hadPrevious = false;
    try {
      await fs.rename(dir, previous);
      hadPrevious = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await fs.rename(temporary, dir);
    if (hadPrevious) await fs.rm(previous, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true });
    throw error;
  }
}
