import { InputError } from '@polyfuse/core';
import { createMatrix, type Matrix } from '../dsp/matrix.js';

/**
 * Delta (derivative) coefficients along frames, as
 * `torchaudio.functional.compute_deltas(specgram, win_length=5, mode='replicate')`:
 * `d[t] = sum_{n=1..N} n (c[t+n] - c[t-n]) / (2 sum n^2)` with `N = (winLength - 1) / 2`
 * and edge frames replicated. Apply twice for delta-deltas.
 */
export function computeDeltas(features: Matrix, winLength = 5): Matrix {
  if (!Number.isInteger(winLength) || winLength < 3) throw new InputError(`computeDeltas: winLength must be an integer >= 3, got ${winLength}.`);
  const n = Math.floor((winLength - 1) / 2);
  const denominator = (n * (n + 1) * (2 * n + 1)) / 3;
  const { rows, cols } = features;
  const out = createMatrix(rows, cols);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let t = 0; t < cols; t++) {
      let sum = 0;
      for (let k = -n; k <= n; k++) {
        const j = Math.min(cols - 1, Math.max(0, t + k));
        sum += k * features.data[row + j]!;
      }
      out.data[row + t] = sum / denominator;
    }
  }
  return out;
}
