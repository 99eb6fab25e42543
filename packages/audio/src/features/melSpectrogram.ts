import { spectrogram, type SpectrogramOptions } from '../dsp/spectrogram.js';
import { createMatrix, type Matrix } from '../dsp/matrix.js';
import { melFilterbank, type MelFilterbankOptions } from './melFilterbank.js';

export interface MelSpectrogramOptions extends SpectrogramOptions, Omit<MelFilterbankOptions, 'nFreqs' | 'nMels'> {
  /** Mel bands. Default 128 (torchaudio). */
  nMels?: number;
}

const filterbankCache = new Map<string, Matrix>();

/**
 * Mel spectrogram `[nMels, frames]`: `spectrogram` then the mel filterbank,
 * `mel = fb^T @ spec`, as `torchaudio.transforms.MelSpectrogram` (defaults
 * there, and here: nFft 400, hop nFft/2, 128 mels, power 2, htk scale, no norm).
 */
export function melSpectrogram(signal: Float32Array, options: MelSpectrogramOptions): Matrix {
  const spec = spectrogram(signal, options);
  const fb = cachedFilterbank({ ...options, nMels: options.nMels ?? 128, nFreqs: spec.rows });
  return applyFilterbank(spec, fb);
}

/** `[nFreqs, frames]` power spectrum times `[nFreqs, nMels]` filters → `[nMels, frames]`. */
export function applyFilterbank(spec: Matrix, fb: Matrix): Matrix {
  const { rows: nFreqs, cols: frames } = spec;
  const nMels = fb.cols;
  const out = new Float64Array(nMels * frames);
  for (let f = 0; f < nFreqs; f++) {
    const specRow = f * frames;
    for (let m = 0; m < nMels; m++) {
      const weight = fb.data[f * nMels + m]!;
      if (weight === 0) continue;
      const outRow = m * frames;
      for (let t = 0; t < frames; t++) out[outRow + t]! += weight * spec.data[specRow + t]!;
    }
  }
  return createMatrix(nMels, frames, Float32Array.from(out));
}

function cachedFilterbank(options: MelFilterbankOptions): Matrix {
  const key = JSON.stringify([options.nFreqs, options.nMels, options.sampleRate, options.fMin, options.fMax, options.norm, options.melScale]);
  let fb = filterbankCache.get(key);
  if (!fb) {
    fb = melFilterbank(options);
    if (filterbankCache.size > 32) filterbankCache.clear();
    filterbankCache.set(key, fb);
  }
  return fb;
}
