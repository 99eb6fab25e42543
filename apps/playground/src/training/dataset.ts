import { InputError } from '@polyfuse/core';

/** The in-page training set: images and log-mels of real av-digits samples (scripts/train-model.mjs writes it). */
export interface DigitDataset {
  count: number;
  /** `[count, 28, 28, 1]` in [0, 1]. */
  images: Float32Array;
  /** `[count, 40, 32, 1]`, per-utterance normalised log-mel. */
  logMels: Float32Array;
  labels: Int32Array;
  /** 0 train, 1 validation. */
  splits: Uint8Array;
}

const magic = 0x53444650; // "PFDS"

/**
 * Reads `public/data/train.bin` (layout in scripts/lib/encodeDataset.mjs):
 * pixels are bytes, log-mel values int8 steps of the header's step, which
 * keeps 500 samples near 1 MB.
 */
export function decodeDataset(buffer: ArrayBuffer): DigitDataset {
  const header = new DataView(buffer);
  if (buffer.byteLength < 24 || header.getUint32(0, true) !== magic || header.getUint32(4, true) !== 1) {
    throw new InputError('train.bin is not a polyfuse playground dataset (version 1); rebuild it with scripts/train-model.mjs.');
  }
  const count = header.getUint32(8, true);
  const pixelCount = header.getUint32(12, true);
  const melCount = header.getUint32(16, true);
  const step = header.getFloat32(20, true);
  const stride = 2 + pixelCount + melCount;
  if (buffer.byteLength !== 24 + count * stride) throw new InputError(`train.bin holds ${buffer.byteLength} bytes; its header describes ${24 + count * stride}.`);
  const bytes = new Uint8Array(buffer);
  const dataset: DigitDataset = {
    count,
    images: new Float32Array(count * pixelCount),
    logMels: new Float32Array(count * melCount),
    labels: new Int32Array(count),
    splits: new Uint8Array(count),
  };
  for (let i = 0; i < count; i++) {
    const offset = 24 + i * stride;
    dataset.labels[i] = bytes[offset]!;
    dataset.splits[i] = bytes[offset + 1]!;
    for (let j = 0; j < pixelCount; j++) dataset.images[i * pixelCount + j] = bytes[offset + 2 + j]! / 255;
    const mel = new Int8Array(buffer, offset + 2 + pixelCount, melCount);
    for (let j = 0; j < melCount; j++) dataset.logMels[i * melCount + j] = mel[j]! * step;
  }
  return dataset;
}
