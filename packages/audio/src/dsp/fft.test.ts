import { describe, expect, it } from 'vitest';
import { RealFft } from './fft.js';

/** The DFT by its definition, the reference every fast path must equal. */
function naiveDft(x: Float64Array): { re: number[]; im: number[] } {
  const n = x.length;
  const re: number[] = [];
  const im: number[] = [];
  for (let k = 0; k <= n / 2; k++) {
    let sr = 0, si = 0;
    for (let t = 0; t < n; t++) {
      sr += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
      si -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
    }
    re.push(sr);
    im.push(si);
  }
  return { re, im };
}

describe('RealFft', () => {
  it.each([1, 2, 4, 8, 64, 512, 3, 5, 100, 400, 401])('equals the naive DFT for n = %i', (n) => {
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) + ((i * 7919) % 13) / 13);
    const fft = new RealFft(n);
    expect(fft.bins).toBe(Math.floor(n / 2) + 1);
    const re = new Float64Array(fft.bins);
    const im = new Float64Array(fft.bins);
    fft.forward(x, re, im);
    const expected = naiveDft(x);
    for (let k = 0; k < fft.bins; k++) {
      expect(re[k]).toBeCloseTo(expected.re[k]!, 8);
      expect(im[k]).toBeCloseTo(expected.im[k]!, 8);
    }
  });

  it('rejects a non-positive size', () => {
    expect(() => new RealFft(0)).toThrow(/size must be a positive integer/);
  });
});
