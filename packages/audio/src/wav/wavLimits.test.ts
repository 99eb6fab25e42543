import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { InputError } from '@polyfuse/core';
import { decodeWav, defaultMaxWavSamples, readWavHeader } from './decodeWav.js';
import { encodeWav } from './encodeWav.js';
import { readAudioBytes, readWavFile } from '../node/readWavFile.js';

/** A 16-bit mono WAV header whose data chunk declares `dataBytes` bytes. */
function wavHeader(dataBytes: number, sampleRate = 16000): Uint8Array {
  const header = new Uint8Array(44);
  const view = new DataView(header.buffer);
  header.set(Buffer.from('RIFF'), 0);
  view.setUint32(4, Math.min(0xffffffff, 36 + dataBytes), true);
  header.set(Buffer.from('WAVEfmt '), 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  header.set(Buffer.from('data'), 36);
  view.setUint32(40, dataBytes, true);
  return header;
}

describe('WAV length limit: absurd lengths are refused from the header', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-wav-limit-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('readAudioBytes refuses a 4 GB WAV after reading its header only, naming the file and the limit', async () => {
    // A sparse file: 4 GB long, a few bytes on disk. Reading it whole would fail (or take 4 GB of memory).
    const file = path.join(dir, 'huge.wav');
    await fs.writeFile(file, wavHeader(0xfffffff0));
    await fs.truncate(file, 44 + 0xfffffff0);
    const started = performance.now();
    await expect(readAudioBytes('huge.wav', dir)).rejects.toThrow(InputError);
    await expect(readWavFile(file)).rejects.toThrow(
      `${file}: the audio holds 2,147,483,640 samples (37.3 h at 16000 Hz, 1 channel), more than the limit of 200,000,000 (maxSamples). Cut the recording into shorter files, or raise maxSamples if it is genuine.`,
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expect(defaultMaxWavSamples).toBe(200_000_000);
  });

  it('a streamed header (size 0xFFFFFFFF) counts the samples the file holds', async () => {
    const file = path.join(dir, 'streamed.wav');
    await fs.writeFile(file, wavHeader(0xffffffff));
    await fs.truncate(file, 44 + 3_000_000_000);
    await expect(readAudioBytes(file, '')).rejects.toThrow(/streamed\.wav: the audio holds 1,500,000,000 samples \(26\.0 h at 16000 Hz, 1 channel\), more than the limit/);
    const small = path.join(dir, 'small-streamed.wav');
    await fs.writeFile(small, Buffer.concat([wavHeader(0xffffffff), Buffer.alloc(3200)]));
    expect((await readWavFile(small)).channelData[0]).toHaveLength(1600);
  });

  it('decodeWav takes a maxSamples limit and checks it before allocating the samples', () => {
    const bytes = encodeWav([new Float32Array(800), new Float32Array(800)], 8000);
    expect(decodeWav(bytes, 'two.wav', { maxSamples: 1600 }).channelData).toHaveLength(2);
    expect(() => decodeWav(bytes, 'two.wav', { maxSamples: 1599 })).toThrow('two.wav: the audio holds 1,600 samples (0.1 s at 8000 Hz, 2 channels), more than the limit of 1,599 (maxSamples).');
    // A data chunk that declares more than the file holds is still a clean truncation error.
    expect(() => decodeWav(Buffer.concat([wavHeader(0xfffffff0), Buffer.alloc(100)]), 'cut.wav')).toThrow(/^cut\.wav: the 'data' chunk is truncated/);
  });

  it('readWavHeader reads the format and data chunk from a prefix of the file', () => {
    expect(readWavHeader(wavHeader(1000))).toEqual({ code: 1, channels: 1, sampleRate: 16000, blockAlign: 2, bits: 16, dataOffset: 44, dataSize: 1000 });
    expect(readWavHeader(wavHeader(1000).subarray(0, 30))).toBeUndefined();
    expect(() => readWavHeader(Buffer.from('not a wav file at all'), 'x.wav')).toThrow(/^x\.wav: not a WAV file/);
  });
});
