import { InputError } from '@polyfuse/core';

/**
 * Encodes channels of float samples as a 16-bit PCM WAV file (canonical
 * 44-byte header). Samples are scaled by 32768, rounded and clipped to the
 * int16 range, the inverse of decodeWav's `x / 32768`, so
 * `decodeWav(encodeWav(x))` recovers `x` in [-1, 1) within half a step (1/65536).
 * NaN is written as 0.
 */
export function encodeWav(channels: Float32Array[] | Float32Array, sampleRate: number): Uint8Array {
  const list = channels instanceof Float32Array ? [channels] : channels;
  if (!Array.isArray(list) || list.length === 0) throw new InputError('encodeWav: channels must hold at least one Float32Array.');
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new InputError(`encodeWav: sampleRate must be a positive integer, got ${sampleRate}.`);
  const frames = list[0]!.length;
  list.forEach((channel, c) => {
    if (!(channel instanceof Float32Array)) throw new InputError(`encodeWav: channels[${c}] must be a Float32Array.`);
    if (channel.length !== frames) throw new InputError(`encodeWav: channels[${c}] has ${channel.length} samples but channels[0] has ${frames}.`);
  });
  const channelCount = list.length;
  const dataBytes = frames * channelCount * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const writeTag = (offset: number, text: string) => {
    for (let i = 0; i < 4; i++) out[offset + i] = text.charCodeAt(i);
  };
  writeTag(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  writeTag(8, 'WAVE');
  writeTag(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channelCount, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channelCount * 2, true);
  view.setUint16(32, channelCount * 2, true);
  view.setUint16(34, 16, true);
  writeTag(36, 'data');
  view.setUint32(40, dataBytes, true);
  let at = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channelCount; c++) {
      const x = list[c]![i]!;
      const value = Number.isNaN(x) ? 0 : Math.max(-32768, Math.min(32767, Math.round(x * 32768)));
      view.setInt16(at, value, true);
      at += 2;
    }
  }
  return out;
}
