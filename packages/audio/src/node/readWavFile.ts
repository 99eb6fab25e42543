import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '@polyfuse/core';
import { checkWavLength, decodeWav, defaultMaxWavSamples, readWavHeader, type AudioData, type WavLimits } from '../wav/decodeWav.js';

/** Reads and decodes a WAV file; errors name the file. Audio over `limits.maxSamples` is refused from its header. */
export async function readWavFile(file: string, limits: WavLimits = {}): Promise<AudioData> {
  return decodeWav(await readAudioBytes(file, '', limits), file, limits);
}

/** Bytes read first to check a WAV's header before the whole file is read. */
const headerBytes = 64 * 1024;

/**
 * The Node file reader the audio preprocessors use: `file` is resolved
 * against `baseDir`. A WAV whose header declares more than
 * `limits.maxSamples` samples is refused after reading only its first 64 KiB,
 * so a huge (or sparse) file is never read into memory.
 */
export async function readAudioBytes(file: string, baseDir: string, limits: WavLimits = {}): Promise<Uint8Array> {
  const resolved = path.resolve(baseDir || '.', file);
  const cannotRead = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code ?? String(error);
    throw new InputError(`${file}: cannot read the audio file (${why}; resolved to ${resolved}).`, { cause: error });
  };
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(resolved, 'r');
    const { size } = await handle.stat();
    const prefix = new Uint8Array(Math.min(size, headerBytes));
    await handle.read(prefix, 0, prefix.length, 0);
    const header = isRiffWave(prefix) ? readWavHeader(prefix, file) : undefined;
    if (header) checkWavLength(header, size, file, limits.maxSamples ?? defaultMaxWavSamples);
    if (size > maxReadableBytes) {
      throw new InputError(`${file}: the file is ${(size / 2 ** 30).toFixed(1)} GiB, too large to read (at most ${maxReadableBytes / 2 ** 30} GiB). Cut the recording into shorter files.`);
    }
    return new Uint8Array(await handle.readFile());
  } catch (error) {
    if (error instanceof InputError) throw error;
    return cannotRead(error);
  } finally {
    await handle?.close();
  }
}

/** Node reads at most 2 GiB into one buffer. */
const maxReadableBytes = 2 ** 31 - 1;

function isRiffWave(bytes: Uint8Array): boolean {
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  return bytes.length >= 12 && tag(0) === 'RIFF' && tag(8) === 'WAVE';
}
