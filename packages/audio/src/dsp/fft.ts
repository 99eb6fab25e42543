import FFT from 'fft.js';
import { InputError } from '@polyfuse/core';

/**
 * One-sided discrete Fourier transform of real signals of a fixed length `n`:
 * `X[k] = sum_t x[t] e^{-2 pi i k t / n}` for `k = 0 .. n/2` (the same numbers
 * as `torch.fft.rfft` / `numpy.fft.rfft`).
 *
 * Powers of two use fft.js's radix-4 real transform; other lengths (e.g. n_fft = 400 for 25 ms at
 * 16 kHz) use Bluestein's chirp-z algorithm on a power-of-two FFT, so every
 * length is O(n log n). Plain typed arrays, no tensor backend.
 */
export class RealFft {
  readonly size: number;
  /** Number of one-sided bins, `floor(n / 2) + 1`. */
  readonly bins: number;
  private readonly plan: (input: Float64Array, re: Float64Array, im: Float64Array) => void;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new InputError(`RealFft: size must be a positive integer, got ${size}.`);
    this.size = size;
    this.bins = Math.floor(size / 2) + 1;
    this.plan = isPowerOfTwo(size) ? (size >= 4 ? powerOfTwoRealPlan(size) : directPlan(size)) : bluesteinPlan(size);
  }

  /** Transforms `input` (length `size`) into `re`/`im` (length `bins`). */
  forward(input: Float64Array, re: Float64Array, im: Float64Array): void {
    this.plan(input, re, im);
  }
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/**
 * Real FFT of a power-of-two length with fft.js's radix-4 transform, which is
 * 1.3-2.3x faster than the radix-2 one we had (bench in docs/architecture.md).
 */
function powerOfTwoRealPlan(n: number) {
  const fft = new FFT(n);
  const spectrum = new Float64Array(2 * n);
  const bins = n / 2 + 1;
  return (input: Float64Array, re: Float64Array, im: Float64Array) => {
    fft.realTransform(spectrum, input);
    for (let k = 0; k < bins; k++) {
      re[k] = spectrum[2 * k]!;
      im[k] = spectrum[2 * k + 1]!;
    }
  };
}

/** Direct O(n^2) DFT, for the degenerate lengths 1 and 2. */
function directPlan(n: number) {
  const bins = Math.floor(n / 2) + 1;
  return (input: Float64Array, re: Float64Array, im: Float64Array) => {
    for (let k = 0; k < bins; k++) {
      let sr = 0, si = 0;
      for (let t = 0; t < n; t++) {
        const angle = (-2 * Math.PI * k * t) / n;
        sr += input[t]! * Math.cos(angle);
        si += input[t]! * Math.sin(angle);
      }
      re[k] = sr;
      im[k] = si;
    }
  };
}

/** Bluestein: a length-n DFT as a circular convolution of power-of-two length m >= 2n - 1. */
function bluesteinPlan(n: number) {
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const fft = new FFT(m);
  const chirpRe = new Float64Array(n);
  const chirpIm = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    // exp(-i pi t^2 / n), with t^2 reduced mod 2n to keep the angle accurate.
    const angle = (Math.PI * ((t * t) % (2 * n))) / n;
    chirpRe[t] = Math.cos(angle);
    chirpIm[t] = -Math.sin(angle);
  }
  // Interleaved complex arrays (re, im, re, im, ...), fft.js's layout.
  const kernelTime = new Float64Array(2 * m);
  kernelTime[0] = chirpRe[0]!;
  kernelTime[1] = -chirpIm[0]!;
  for (let t = 1; t < n; t++) {
    kernelTime[2 * t] = kernelTime[2 * (m - t)] = chirpRe[t]!;
    kernelTime[2 * t + 1] = kernelTime[2 * (m - t) + 1] = -chirpIm[t]!;
  }
  const kernel = new Float64Array(2 * m);
  fft.transform(kernel, kernelTime);
  const signal = new Float64Array(2 * m);
  const spectrum = new Float64Array(2 * m);
  const bins = Math.floor(n / 2) + 1;
  return (input: Float64Array, re: Float64Array, im: Float64Array) => {
    signal.fill(0);
    for (let t = 0; t < n; t++) {
      signal[2 * t] = input[t]! * chirpRe[t]!;
      signal[2 * t + 1] = input[t]! * chirpIm[t]!;
    }
    fft.transform(spectrum, signal);
    for (let k = 0; k < m; k++) {
      const ar = spectrum[2 * k]!, ai = spectrum[2 * k + 1]!;
      const br = kernel[2 * k]!, bi = kernel[2 * k + 1]!;
      spectrum[2 * k] = ar * br - ai * bi;
      spectrum[2 * k + 1] = ar * bi + ai * br;
    }
    fft.inverseTransform(signal, spectrum); // normalised by 1/m
    for (let k = 0; k < bins; k++) {
      const xr = signal[2 * k]!, xi = signal[2 * k + 1]!;
      re[k] = xr * chirpRe[k]! - xi * chirpIm[k]!;
      im[k] = xr * chirpIm[k]! + xi * chirpRe[k]!;
    }
  };
}
