import type { Matrix } from '../dsp/matrix.js';

export interface AmplitudeToDbOptions {
  /** 10 for power spectrograms, 20 for magnitudes. Default 10. */
  multiplier?: number;
  /** Floor before the log. Default 1e-10. */
  amin?: number;
  /** Reference value: 0 dB. Default 1. */
  ref?: number;
  /** When set, values below `max - topDb` are raised to it. Default null (no clamp). */
  topDb?: number | null;
}

/**
 * Decibels, `multiplier * log10(max(x, amin)) - multiplier * log10(max(amin, ref))`,
 * then optionally clamped to `max - topDb` over the whole spectrogram:
 * `torchaudio.functional.amplitude_to_DB` (0.13) on one `[bins, frames]` input.
 */
export function amplitudeToDb(input: Matrix, options: AmplitudeToDbOptions = {}): Matrix {
  const { multiplier = 10, amin = 1e-10, ref = 1, topDb = null } = options;
  const offset = multiplier * Math.log10(Math.max(amin, ref));
  const data = new Float32Array(input.data.length);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const db = multiplier * Math.log10(Math.max(input.data[i]!, amin)) - offset;
    data[i] = db;
    if (db > max) max = db;
  }
  if (topDb !== null) {
    const floor = Math.fround(max - topDb);
    for (let i = 0; i < data.length; i++) if (data[i]! < floor) data[i] = floor;
  }
  return { rows: input.rows, cols: input.cols, data };
}
