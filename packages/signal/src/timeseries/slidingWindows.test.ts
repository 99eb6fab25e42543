import { describe, expect, it } from 'vitest';
import { slidingWindows } from './slidingWindows.js';

describe('slidingWindows', () => {
  it('cuts [T, C] series into overlapping [length, C] windows, dropping the partial tail', () => {
    const series = Float32Array.from([0, 10, 1, 11, 2, 12, 3, 13, 4, 14]); // T = 5, C = 2
    const windows = slidingWindows(series, 2, 3, 1);
    expect(windows.map((w) => Array.from(w))).toEqual([
      [0, 10, 1, 11, 2, 12],
      [1, 11, 2, 12, 3, 13],
      [2, 12, 3, 13, 4, 14],
    ]);
    expect(slidingWindows(series, 2, 2)).toHaveLength(2);
    expect(() => slidingWindows(series, 3, 2)).toThrow(/not a multiple of 3 channels/);
  });
});
