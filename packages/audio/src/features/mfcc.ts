import { createMatrix, type Matrix } from '../dsp/matrix.js';
import { melSpectrogram, type MelSpectrogramOptions } from './melSpectrogram.js';
import { amplitudeToDb } from './amplitudeToDb.js';
import { createDct } from './dct.js';

export interface MfccOptions extends MelSpectrogramOptions {
  /** Number of coefficients kept. Default 40 (torchaudio). */
  nMfcc?: number;
  /** DCT normalisation. Default `ortho`. */
  dctNorm?: 'ortho' | null;
  /** `log(mel + 1e-6)` instead of decibels. Default false. */
  logMels?: boolean;
}

/**
 * Mel-frequency cepstral coefficients `[nMfcc, frames]`, as
 * `torchaudio.transforms.MFCC` (0.13): mel spectrogram, then decibels with
 * `top_db = 80` (or `log(x + 1e-6)` when `logMels`), then the DCT-II over the
 * mel axis.
 */
export function mfcc(signal: Float32Array, options: MfccOptions): Matrix {
  const { nMfcc = 40, dctNorm = 'ortho', logMels = false } = options;
  const mel = melSpectrogram(signal, options);
  const logMel = logMels
    ? { ...mel, data: mel.data.map((x) => Math.log(x + 1e-6)) }
    : amplitudeToDb(mel, { multiplier: 10, amin: 1e-10, ref: 1, topDb: 80 });
  const dct = createDct(nMfcc, mel.rows, dctNorm);
  const frames = mel.cols;
  const out = createMatrix(nMfcc, frames);
  for (let k = 0; k < nMfcc; k++) {
    for (let t = 0; t < frames; t++) {
      let sum = 0;
      for (let n = 0; n < mel.rows; n++) sum += logMel.data[n * frames + t]! * dct.data[n * nMfcc + k]!;
      out.data[k * frames + t] = sum;
    }
  }
  return out;
}
