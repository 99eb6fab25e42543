import { InputError } from '@polyfuse/core';

/** Decoded audio: one Float32Array of samples in [-1, 1] per channel. */
export interface AudioData {
  sampleRate: number;
  /** `channelData[c][i]` is sample `i` of channel `c`; every channel has the same length. */
  channelData: Float32Array[];
}

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;

/**
 * Default largest WAV accepted, in samples over all channels: 200 million
 * (800 MB decoded as float32; 35 minutes of 48 kHz stereo, 3.5 hours of
 * 16 kHz mono). Checked on the header, before the samples are allocated.
 */
export const defaultMaxWavSamples = 200_000_000;

/** Options of `decodeWav` and the Node WAV readers. */
export interface WavLimits {
  /** Largest number of samples (frames × channels) accepted; more is an InputError naming the limit. Default `defaultMaxWavSamples`. */
  maxSamples?: number;
}

/** What a WAV header declares, read without decoding the samples. */
export interface WavHeader {
  code: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
  /** Byte offset of the audio in the file. */
  dataOffset: number;
  /** The data chunk's declared size in bytes (0xFFFFFFFF: streamed, the audio runs to the end of the file). */
  dataSize: number;
}

/**
 * Reads the 'fmt ' and 'data' chunk headers from the start of a WAV file.
 * `bytes` may be only a prefix of the file (enough to reach the data chunk's
 * header); returns undefined when the prefix ends before both are found.
 * Throws an InputError naming `source` for data that is not RIFF/WAVE or a
 * truncated 'fmt ' chunk.
 */
export function readWavHeader(bytes: Uint8Array, source = 'WAV data'): WavHeader | undefined {
  const fail = (what: string): never => {
    throw new InputError(`${source}: ${what}`);
  };
  if (bytes.byteLength < 12) fail(`not a WAV file: ${bytes.byteLength} bytes is shorter than a RIFF header (12 bytes).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') fail(`not a WAV file: expected 'RIFF....WAVE' at the start, found '${tag(0)}....${tag(8)}'.`);
  let format: Omit<WavHeader, 'dataOffset' | 'dataSize'> | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.byteLength) return undefined;
      let code = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      if (code === EXTENSIBLE) {
        if (size < 40) fail(`WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk has ${size} bytes, expected 40.`);
        code = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      format = { code, channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), blockAlign: view.getUint16(body + 12, true), bits };
    } else if (id === 'data') {
      return format ? { ...format, dataOffset: body, dataSize: size } : undefined;
    }
    offset = body + size + (size % 2);
  }
  return undefined;
}

/**
 * Throws an InputError naming `source` and the limit when a WAV whose header
 * is `header` and whose file is `fileSize` bytes long holds more than
 * `maxSamples` samples (the smaller of what the data chunk declares and what
 * the file can hold).
 */
export function checkWavLength(header: WavHeader, fileSize: number, source: string, maxSamples = defaultMaxWavSamples): void {
  const bytesPerSample = Math.max(1, Math.floor(header.bits / 8));
  const available = Math.max(0, fileSize - header.dataOffset);
  const bytes = header.dataSize === 0xffffffff ? available : Math.min(header.dataSize, available);
  const samples = Math.floor(bytes / bytesPerSample);
  if (samples > maxSamples) {
    const seconds = header.channels > 0 && header.sampleRate > 0 ? samples / header.channels / header.sampleRate : undefined;
    throw new InputError(
      `${source}: the audio holds ${samples.toLocaleString('en-US')} samples${seconds !== undefined ? ` (${formatDuration(seconds)} at ${header.sampleRate} Hz, ${header.channels} channel${header.channels === 1 ? '' : 's'})` : ''}, ` +
        `more than the limit of ${maxSamples.toLocaleString('en-US')} (maxSamples). Cut the recording into shorter files, or raise maxSamples if it is genuine.`,
    );
  }
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * Decodes a RIFF/WAVE file from bytes (browser-safe: no file system).
 *
 * Supports integer PCM at 8 (unsigned), 16, 24 and 32 bits, IEEE float at 32
 * and 64 bits, any number of interleaved channels, and WAVE_FORMAT_EXTENSIBLE
 * headers whose sub-format is PCM or float. Integers are scaled like
 * torchaudio.load / libsndfile: `x / 2^(bits-1)` (8-bit: `(x - 128) / 128`).
 * Unknown chunks (LIST, fact, ...) are skipped; an odd-sized chunk is followed
 * by one pad byte as RIFF requires.
 *
 * `source` names the file in errors (`InputError: speech.wav: ...`). Audio
 * of more than `limits.maxSamples` samples is refused before it is decoded.
 */
export function decodeWav(bytes: Uint8Array | ArrayBuffer, source = 'WAV data', limits: WavLimits = {}): AudioData {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const fail = (what: string): never => {
    throw new InputError(`${source}: ${what}`);
  };
  if (data.byteLength < 12) fail(`not a WAV file: ${data.byteLength} bytes is shorter than a RIFF header (12 bytes).`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const tag = (offset: number) => String.fromCharCode(data[offset]!, data[offset + 1]!, data[offset + 2]!, data[offset + 3]!);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') fail(`not a WAV file: expected 'RIFF....WAVE' at the start, found '${tag(0)}....${tag(8)}'.`);

  let format: { code: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | undefined;
  let samples: { offset: number; length: number } | undefined;
  let offset = 12;
  while (offset + 8 <= data.byteLength) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > data.byteLength) fail(`the 'fmt ' chunk is truncated (${Math.max(0, data.byteLength - body)} of ${Math.max(16, size)} bytes).`);
      let code = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      if (code === EXTENSIBLE) {
        if (size < 40) fail(`WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk has ${size} bytes, expected 40.`);
        code = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      format = {
        code,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits,
      };
    } else if (id === 'data') {
      const available = data.byteLength - body;
      // Streaming writers (ffmpeg to a pipe) leave the size at 0xFFFFFFFF: the audio then runs to the end of the file.
      const streamed = size === 0xffffffff;
      if (!streamed && size > available) fail(`the 'data' chunk is truncated: the header declares ${size} bytes but only ${available} follow.`);
      samples = { offset: body, length: streamed ? available : size };
      break;
    }
    offset = body + size + (size % 2);
  }
  if (!format) fail(`no 'fmt ' chunk before the audio data (the file is truncated or not a WAV file).`);
  if (!samples) fail(`no 'data' chunk (the file is truncated or holds no audio).`);
  const { code, channels, sampleRate, bits } = format!;
  if (channels < 1) fail(`the header declares ${channels} channels; expected at least 1.`);
  if (!(sampleRate > 0)) fail(`the header declares a sample rate of ${sampleRate} Hz; expected a positive rate.`);
  const isInt = code === PCM && [8, 16, 24, 32].includes(bits);
  const isFloat = code === IEEE_FLOAT && (bits === 32 || bits === 64);
  if (!isInt && !isFloat) {
    fail(`unsupported encoding (format code ${code}, ${bits} bits). Supported: PCM 8/16/24/32-bit and IEEE float 32/64-bit.`);
  }
  const bytesPerSample = bits / 8;
  const blockAlign = bytesPerSample * channels;
  if (format!.blockAlign !== blockAlign) fail(`block align is ${format!.blockAlign} but ${channels} channels of ${bits} bits need ${blockAlign}.`);
  const frames = Math.floor(samples!.length / blockAlign);
  if (frames === 0) fail('zero-length audio: the data chunk holds no complete sample frame.');
  checkWavLength({ ...format!, dataOffset: samples!.offset, dataSize: samples!.length }, data.byteLength, source, limits.maxSamples);

  const channelData = Array.from({ length: channels }, () => new Float32Array(frames));
  const start = samples!.offset;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      const at = start + i * blockAlign + c * bytesPerSample;
      let value: number;
      if (isFloat) value = bits === 32 ? view.getFloat32(at, true) : view.getFloat64(at, true);
      else if (bits === 8) value = (data[at]! - 128) / 128;
      else if (bits === 16) value = view.getInt16(at, true) / 32768;
      else if (bits === 24) value = (((data[at + 2]! << 24) | (data[at + 1]! << 16) | (data[at]! << 8)) >> 8) / 8388608;
      else value = view.getInt32(at, true) / 2147483648;
      channelData[c]![i] = value;
    }
  }
  return { sampleRate, channelData };
}
