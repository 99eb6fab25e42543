import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { InputError } from '@polyfuse/core';
import { decodeWav } from './decodeWav.js';
import { encodeWav } from './encodeWav.js';

const fixtures = new URL('../../fixtures/', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('reference.json', fixtures), 'utf8')) as {
  wav: Record<string, { sampleRate: number; channels: number; frames: number; values: number[][] }>;
};

describe('decodeWav', () => {
  it.each(Object.keys(reference.wav))('decodes %s exactly as torchaudio.load does', (name) => {
    const expected = reference.wav[name]!;
    const audio = decodeWav(readFileSync(new URL(`wav/${name}`, fixtures)), name);
    expect(audio.sampleRate).toBe(expected.sampleRate);
    expect(audio.channelData).toHaveLength(expected.channels);
    audio.channelData.forEach((channel, c) => {
      expect(channel).toHaveLength(expected.frames);
      const worst = Math.max(...Array.from(channel, (x, i) => Math.abs(x - expected.values[c]![i]!)));
      expect(worst).toBeLessThan(1e-6);
    });
  });

  it('round-trips encodeWav within half a 16-bit step', () => {
    const left = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i / 5));
    const right = Float32Array.from({ length: 100 }, (_, i) => (i % 7) / 7 - 0.5);
    const audio = decodeWav(encodeWav([left, right], 16000));
    expect(audio.sampleRate).toBe(16000);
    audio.channelData.forEach((channel, c) => {
      const source = c === 0 ? left : right;
      channel.forEach((x, i) => expect(Math.abs(x - source[i]!)).toBeLessThanOrEqual(0.5 / 32768 + 1e-9));
    });
  });

  it('names the file and the problem for corrupt, truncated and empty files', () => {
    const good = encodeWav(new Float32Array(50), 8000);
    expect(() => decodeWav(new Uint8Array(0), 'empty.wav')).toThrow(/empty\.wav: not a WAV file/);
    expect(() => decodeWav(new TextEncoder().encode('ID3 this is an mp3 file'), 'song.mp3')).toThrow(/song\.mp3: not a WAV file: expected 'RIFF....WAVE'/);
    expect(() => decodeWav(good.slice(0, 60), 'cut.wav')).toThrow(/cut\.wav: the 'data' chunk is truncated: the header declares 100 bytes but only 16 follow/);
    expect(() => decodeWav(good.slice(0, 30), 'header.wav')).toThrow(/header\.wav: .*'fmt ' chunk is truncated/);
    expect(() => decodeWav(encodeWav(new Float32Array(0), 8000), 'silent.wav')).toThrow(/silent\.wav: zero-length audio/);
    const alaw = good.slice();
    alaw[20] = 6;
    expect(() => decodeWav(alaw, 'alaw.wav')).toThrow(/alaw\.wav: unsupported encoding \(format code 6, 16 bits\)/);
    expect(() => decodeWav(good.slice(0, 20), 'x.wav')).toThrow(InputError);
    const streamed = good.slice();
    new DataView(streamed.buffer).setUint32(40, 0xffffffff, true);
    expect(decodeWav(streamed, 'pipe.wav').channelData[0]).toHaveLength(50);
  });
});
