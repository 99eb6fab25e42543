import { InputError } from '@polyfuse/core';
import { decodeWav, type AudioData } from '../wav/decodeWav.js';
import { resample } from '../dsp/resample.js';

/** Reads a manifest path (already resolved against the manifest folder) into WAV bytes. */
export type AudioFileReader = (path: string, baseDir: string) => Promise<Uint8Array>;

/**
 * What an audio preprocessor accepts as a manifest value: a file path (needs
 * a reader: `@polyfuse/audio/node` supplies one), WAV bytes, or decoded audio.
 */
export type AudioValue = string | Uint8Array | ArrayBuffer | AudioData;

/** Decodes any AudioValue, downmixes it to mono (channel mean) and resamples it to `sampleRate`. */
export async function loadMono(value: unknown, sampleRate: number, baseDir: string, readFile?: AudioFileReader): Promise<Float32Array> {
  let audio: AudioData;
  if (typeof value === 'string') {
    if (value.length === 0) throw new InputError('Audio value is an empty string; expected a WAV file path.');
    if (!readFile) {
      throw new InputError(`Cannot read '${value}': this preprocessor has no file reader. In Node.js import '@polyfuse/audio/node'; in a browser pass { readFile } (e.g. with fetch).`);
    }
    let bytes: Uint8Array;
    try {
      bytes = await readFile(value, baseDir);
    } catch (error) {
      if (error instanceof InputError) throw error; // already names the file
      throw new InputError(`${value}: cannot read the file (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
    }
    audio = decodeWav(bytes, value);
  } else if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    audio = decodeWav(value);
  } else if (isAudioData(value)) {
    audio = value;
  } else {
    throw new InputError(`Audio value must be a WAV file path, WAV bytes or { sampleRate, channelData }, got ${describe(value)}.`);
  }
  const mono = downmix(audio);
  for (let i = 0; i < mono.length; i++) {
    if (!Number.isFinite(mono[i])) throw new InputError(`Audio contains a non-finite sample (${mono[i]}) at index ${i}.`);
  }
  return resample(mono, audio.sampleRate, sampleRate);
}

/** The mean of all channels (a copy for mono input). */
export function downmix(audio: AudioData): Float32Array {
  const { channelData } = audio;
  if (channelData.length === 0 || channelData[0]!.length === 0) throw new InputError('zero-length audio: no channels or no samples.');
  if (channelData.length === 1) return channelData[0]!.slice();
  const out = new Float32Array(channelData[0]!.length);
  for (const channel of channelData) {
    if (channel.length !== out.length) throw new InputError(`Audio channels differ in length (${channel.length} vs ${out.length}).`);
    for (let i = 0; i < out.length; i++) out[i]! += channel[i]! / channelData.length;
  }
  return out;
}

function isAudioData(value: unknown): value is AudioData {
  const v = value as AudioData;
  return typeof v === 'object' && v !== null && typeof v.sampleRate === 'number' && Array.isArray(v.channelData) && v.channelData.every((c) => c instanceof Float32Array);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return `${typeof value} ${JSON.stringify(value)}`.slice(0, 80);
}
