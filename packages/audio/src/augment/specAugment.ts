import { InputError, type SeededRandom } from '@polyfuse/core';
import type { Matrix } from '../dsp/matrix.js';

/**
 * Masks one band of a `[bins, frames]` feature matrix in place, with
 * `torchaudio.functional.mask_along_axis` (0.13) semantics: `w = u1 * maskParam`,
 * `s = u2 * (size - w)`, cells in `[floor(s), floor(s) + floor(w))` set to
 * `value` (maskParam is capped at the axis size). `axis` 0 masks bins (frequency
 * masking), 1 masks frames (time masking).
 */
export function maskAlongAxis(features: Matrix, axis: 0 | 1, maskParam: number, rng: SeededRandom, value = 0): void {
  if (!Number.isInteger(maskParam) || maskParam < 0) throw new InputError(`maskAlongAxis: maskParam must be a non-negative integer, got ${maskParam}.`);
  const size = axis === 0 ? features.rows : features.cols;
  const widthReal = rng.next() * Math.min(maskParam, size);
  const startReal = rng.next() * (size - widthReal);
  const start = Math.floor(startReal);
  const end = Math.min(size, start + Math.floor(widthReal));
  for (let i = start; i < end; i++) {
    if (axis === 0) features.data.fill(value, i * features.cols, (i + 1) * features.cols);
    else for (let r = 0; r < features.rows; r++) features.data[r * features.cols + i] = value;
  }
}

export interface SpecAugmentOptions {
  /** Number of frequency masks. */
  freqMasks?: number;
  /** Largest frequency-mask width in bins (torchaudio FrequencyMasking `freq_mask_param`). */
  freqMaskBins?: number;
  timeMasks?: number;
  /** Largest time-mask width in frames (TimeMasking `time_mask_param`). */
  timeMaskFrames?: number;
  /** Value written into masked cells. Default 0 (the mean of normalised features). */
  value?: number;
}

/**
 * SpecAugment's frequency and time masking (Park et al. 2019) on a
 * `[bins, frames]` matrix, in place, drawing every mask from `rng`.
 */
export function specAugment(features: Matrix, options: SpecAugmentOptions, rng: SeededRandom): void {
  const { freqMasks = 0, freqMaskBins = 0, timeMasks = 0, timeMaskFrames = 0, value = 0 } = options;
  for (let i = 0; i < freqMasks; i++) maskAlongAxis(features, 0, freqMaskBins, rng, value);
  for (let i = 0; i < timeMasks; i++) maskAlongAxis(features, 1, timeMaskFrames, rng, value);
}
