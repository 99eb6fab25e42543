import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '@polyfuse/core';
import { writeDirectoryAtomic } from '@polyfuse/core/node';
import { checkpointFileNames, type CheckpointFiles } from './checkpointFiles.js';

/**
 * Writes a checkpoint folder atomically (a sibling temporary folder renamed
 * into place), so a crash or Ctrl-C leaves the previous checkpoint or the new
 * one, never a mix. The folder is also a model folder `loadModel` opens.
 */
export async function saveCheckpoint(dir: string, files: CheckpointFiles): Promise<void> {
  await writeDirectoryAtomic(dir, files as unknown as Record<string, string | Uint8Array>);
}

/** Reads a folder written by `saveCheckpoint`. */
export async function readCheckpoint(dir: string): Promise<CheckpointFiles> {
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await fs.readFile(path.join(dir, name));
    } catch (error) {
      throw new InputError(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? `${path.join(dir, name)} does not exist; ${dir} is not a complete polyfuse checkpoint (it needs ${checkpointFileNames.join(', ')}).`
          : `Cannot read ${path.join(dir, name)}: ${(error as Error).message}`,
      );
    }
  };
  const buffers = await Promise.all(checkpointFileNames.map(read));
  const byName = Object.fromEntries(checkpointFileNames.map((n, i) => [n, buffers[i]]));
  const bytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return {
    'model.json': byName['model.json'].toString('utf8'),
    'weights.bin': bytes(byName['weights.bin']),
    'polyfuse.json': byName['polyfuse.json'].toString('utf8'),
    'optimizer.json': byName['optimizer.json'].toString('utf8'),
    'optimizer.bin': bytes(byName['optimizer.bin']),
    'trainer.json': byName['trainer.json'].toString('utf8'),
  };
}
