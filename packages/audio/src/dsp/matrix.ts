/**
 * A row-major 2-D array of float32 values: `data[r * cols + c]`. Spectrograms
 * use torchaudio's layout, rows = frequency (or mel / cepstral) bins and
 * cols = frames, so `toTensor` gives `[bins, frames]` as torchaudio does.
 */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

export function createMatrix(rows: number, cols: number, data = new Float32Array(rows * cols)): Matrix {
  return { rows, cols, data };
}
