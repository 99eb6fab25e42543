import { InputError } from '@polyfuse/core';
import { createMatrix, type Matrix } from './matrix.js';
import { paddedIndex, type PadMode } from './padding.js';

export interface FrameOptions {
  /** Pad `floor(frameLength / 2)` on both sides so frame `t` is centred on sample `t * hop` (torch.stft `center`). Default true. */
  center?: boolean;
  /** How the centre padding is filled. Default `reflect`. */
  padMode?: PadMode;
}

/** Number of frames `frameSignal` / `spectrogram` produce: `1 + floor((L + 2p - frameLength) / hop)`. */
export function frameCount(length: number, frameLength: number, hopLength: number, center = true): number {
  const padded = length + (center ? 2 * Math.floor(frameLength / 2) : 0);
  return padded < frameLength ? 0 : 1 + Math.floor((padded - frameLength) / hopLength);
}

/**
 * Splits a signal into overlapping frames, `[frames, frameLength]`, the same
 * frames `torch.stft` windows (`x.unfold(-1, frameLength, hop)` after its
 * centre padding).
 */
export function frameSignal(signal: Float32Array, frameLength: number, hopLength: number, options: FrameOptions = {}): Matrix {
  const { center = true, padMode = 'reflect' } = options;
  checkFraming(signal, frameLength, hopLength);
  const frames = frameCount(signal.length, frameLength, hopLength, center);
  if (frames === 0) throw new InputError(`frameSignal: signal of ${signal.length} samples is shorter than one frame (${frameLength}); use center: true or pad it.`);
  const pad = center ? Math.floor(frameLength / 2) : 0;
  const out = createMatrix(frames, frameLength);
  for (let f = 0; f < frames; f++) {
    for (let k = 0; k < frameLength; k++) {
      const j = paddedIndex(f * hopLength + k - pad, signal.length, padMode);
      out.data[f * frameLength + k] = j < 0 ? 0 : signal[j]!;
    }
  }
  return out;
}

export function checkFraming(signal: Float32Array, frameLength: number, hopLength: number, caller = 'frameSignal'): void {
  if (!(signal instanceof Float32Array)) throw new InputError(`${caller}: signal must be a Float32Array.`);
  if (signal.length === 0) throw new InputError(`${caller}: zero-length audio (the signal has no samples).`);
  if (!Number.isInteger(frameLength) || frameLength < 1) throw new InputError(`${caller}: frame length must be a positive integer, got ${frameLength}.`);
  if (!Number.isInteger(hopLength) || hopLength < 1) throw new InputError(`${caller}: hopLength must be a positive integer, got ${hopLength}.`);
}
