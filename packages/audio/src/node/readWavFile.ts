import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '@polyfuse/core';
import { decodeWav, type AudioData } from '../wav/decodeWav.js';

/** Reads and decodes a WAV file; errors name the file. */
export async function readWavFile(file: string): Promise<AudioData> {
  return decodeWav(await readAudioBytes(file, ''), file);
}

/** The Node file reader the audio preprocessors use: `file` is resolved against `baseDir`. */
export async function readAudioBytes(file: string, baseDir: string): Promise<Uint8Array> {
  const resolved = path.resolve(baseDir || '.', file);
  try {
    return new Uint8Array(await fs.readFile(resolved));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? String(error);
    throw new InputError(`${file}: cannot read the audio file (${why}; resolved to ${resolved}).`, { cause: error });
  }
}
