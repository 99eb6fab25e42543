import { InputError } from '@polyfuse/core';
import { createMatrix, type Matrix } from '../dsp/matrix.js';
import { hzToMel, melToHz, type MelScale } from './melScale.js';

export interface MelFilterbankOptions {
  /** Number of one-sided FFT bins, `nFft / 2 + 1`. */
  nFreqs: number;
  nMels: number;
  sampleRate: number;
  /** Default 0. */
  fMin?: number;
  /** Default `sampleRate / 2`. */
  fMax?: number;
  /** `slaney` scales each triangle to unit area (`2 / (f[m+2] - f[m])`); default none (peak 1). */
  norm?: 'slaney' | null;
  melScale?: MelScale;
}

/**
 * Triangular mel filters, `[nFreqs, nMels]`, exactly as
 * `torchaudio.functional.melscale_fbanks` (0.13): FFT bin centres
 * `linspace(0, floor(sampleRate / 2), nFreqs)`, `nMels + 2` points equally
 * spaced in mels between fMin and fMax, each filter
 * `max(0, min(rising slope, falling slope))`, optional Slaney area norm.
 */
export function melFilterbank(options: MelFilterbankOptions): Matrix {
  const { nFreqs, nMels, sampleRate, fMin = 0, norm = null, melScale = 'htk' } = options;
  const fMax = options.fMax ?? sampleRate / 2;
  if (!Number.isInteger(nFreqs) || nFreqs < 2) throw new InputError(`melFilterbank: nFreqs must be an integer >= 2, got ${nFreqs}.`);
  if (!Number.isInteger(nMels) || nMels < 1) throw new InputError(`melFilterbank: nMels must be a positive integer, got ${nMels}.`);
  if (!(sampleRate > 0)) throw new InputError(`melFilterbank: sampleRate must be positive, got ${sampleRate}.`);
  if (!(fMin >= 0 && fMin < fMax && fMax <= sampleRate / 2)) {
    throw new InputError(`melFilterbank: need 0 <= fMin < fMax <= sampleRate / 2 (${sampleRate / 2}), got fMin=${fMin}, fMax=${fMax}.`);
  }
  if (melScale !== 'htk' && melScale !== 'slaney') throw new InputError(`melFilterbank: melScale must be 'htk' or 'slaney', got '${melScale}'.`);
  const top = Math.floor(sampleRate / 2);
  const freqs = Array.from({ length: nFreqs }, (_, i) => (top * i) / (nFreqs - 1));
  const mMin = hzToMel(fMin, melScale);
  const mMax = hzToMel(fMax, melScale);
  const points = Array.from({ length: nMels + 2 }, (_, i) => melToHz(mMin + ((mMax - mMin) * i) / (nMels + 1), melScale));
  const out = createMatrix(nFreqs, nMels);
  for (let m = 0; m < nMels; m++) {
    const [left, centre, right] = [points[m]!, points[m + 1]!, points[m + 2]!];
    const enorm = norm === 'slaney' ? 2 / (right - left) : 1;
    for (let f = 0; f < nFreqs; f++) {
      const down = (freqs[f]! - left) / (centre - left);
      const up = (right - freqs[f]!) / (right - centre);
      out.data[f * nMels + m] = Math.max(0, Math.min(down, up)) * enorm;
    }
  }
  return out;
}
