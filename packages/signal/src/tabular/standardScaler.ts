import { InputError } from '@polyfuse/core';

/** Per-column statistics learned from training rows. */
export interface ScalerState {
  mean: number[];
  scale: number[];
}

/**
 * Fits per-column mean and scale exactly as scikit-learn's `StandardScaler`
 * (1.2): missing cells (NaN) are ignored, the scale is the population
 * standard deviation (ddof 0), and a zero scale becomes 1. A column with no
 * observed value gets mean 0, scale 1.
 */
export function fitStandardScaler(rows: Float64Array[], columns: number): ScalerState {
  if (rows.length === 0) throw new InputError('fitStandardScaler: no training rows to fit on.');
  const mean: number[] = [];
  const scale: number[] = [];
  for (let c = 0; c < columns; c++) {
    let count = 0;
    let sum = 0;
    for (const row of rows) if (!Number.isNaN(row[c]!)) { count++; sum += row[c]!; }
    const m = count > 0 ? sum / count : 0;
    let squares = 0;
    for (const row of rows) if (!Number.isNaN(row[c]!)) squares += (row[c]! - m) ** 2;
    const std = count > 0 ? Math.sqrt(squares / count) : 0;
    mean.push(m);
    scale.push(std > 10 * Number.EPSILON * Math.max(1, Math.abs(m)) ? std : 1);
  }
  return { mean, scale };
}
