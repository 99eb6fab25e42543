import { promises as fs } from 'node:fs';
import { InputError } from '@polyfuse/core';

/** Reads a file's bytes; a missing or unreadable file is an InputError naming it. */
export async function readBinaryFile(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await fs.readFile(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new InputError(`${file}: cannot read image (${reason}).`, { cause: error });
  }
}
