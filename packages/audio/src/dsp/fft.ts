import { InputError } from '@polyfuse/core';

/**
 * One-sided discrete Fourier transform of real signals of a fixed length `n`:
 * `X[k] = sum_t x[t] e^{-2 pi i k t / n}` for `k = 0 .. n/2` (the same numbers
 * as `torch.fft.rfft` / `numpy.fft.rfft`).
 *
 * Powers of two use an iterative radix-2 FFT on half-length complex data (the
 * real-input packing trick); other lengths (e.g. n_fft = 400 for 25 ms at
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
    this.plan = isPowerOfTwo(size) ? (size >= 4 ? packedRealPlan(size) : directPlan(size)) : bluesteinPlan(size);
  }

  /** Transforms `input` (length `size`) into `re`/`im` (length `bins`). */
  forward(input: Float64Array, re: Float64Array, im: Float64Array): void {
    this.plan(input, re, im);
  }
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** In-place iterative radix-2 complex FFT (sign -1) of length `n` (a power of two). */
class ComplexFft {
  private readonly n: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reversed: Uint32Array;

  constructor(n: number) {
    this.n = n;
    this.cos = new Float64Array(n / 2);
    this.sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / n);
      this.sin[k] = -Math.sin((2 * Math.PI * k) / n);
    }
    this.reversed = new Uint32Array(n);
    const bits = Math.log2(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
  }

  /** Forward transform when `inverse` is false; unnormalised inverse otherwise. */
  run(re: Float64Array, im: Float64Array, inverse = false): void {
    const { n, cos, sin, reversed } = this;
    for (let i = 0; i < n; i++) {
      const j = reversed[i]!;
      if (j > i) {
        let t = re[i]!; re[i] = re[j]!; re[j] = t;
        t = im[i]!; im[i] = im[j]!; im[j] = t;
      }
    }
    // First stage: twiddle 1, no multiplications.
    for (let a = 0; a + 1 < n; a += 2) {
      const ar = re[a]!, ai = im[a]!, br = re[a + 1]!, bi = im[a + 1]!;
      re[a] = ar + br;
      im[a] = ai + bi;
      re[a + 1] = ar - br;
      im[a + 1] = ai - bi;
    }
    const sign = inverse ? -1 : 1;
    for (let size = 4; size <= n; size <<= 1) {
      const half = size >> 1;
      const step = n / size;
      // Twiddle-outer order: each twiddle is loaded once per stage.
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sign * sin[k * step]!;
        for (let a = k; a < n; a += size) {
          const b = a + half;
          const br = re[b]!, bi = im[b]!;
          const xr = br * wr - bi * wi;
          const xi = br * wi + bi * wr;
          const ar = re[a]!, ai = im[a]!;
          re[b] = ar - xr;
          im[b] = ai - xi;
          re[a] = ar + xr;
          im[a] = ai + xi;
        }
      }
    }
  }
}

/** Real FFT of even power-of-two length via one complex FFT of half the length. */
function packedRealPlan(n: number) {
  const half = n / 2;
  const fft = new ComplexFft(half);
  const zr = new Float64Array(half);
  const zi = new Float64Array(half);
  const wr = new Float64Array(half);
  const wi = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    wr[k] = Math.cos((2 * Math.PI * k) / n);
    wi[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  return (input: Float64Array, re: Float64Array, im: Float64Array) => {
    for (let t = 0; t < half; t++) {
      zr[t] = input[2 * t]!;
      zi[t] = input[2 * t + 1]!;
    }
    fft.run(zr, zi);
    re[0] = zr[0]! + zi[0]!;
    im[0] = 0;
    re[half] = zr[0]! - zi[0]!;
    im[half] = 0;
    for (let k = 1; k < half; k++) {
      const ar = zr[k]!, ai = zi[k]!;
      const br = zr[half - k]!, bi = -zi[half - k]!; // conj(Z[half - k])
      const er = (ar + br) / 2, ei = (ai + bi) / 2; // even part
      const dr = (ar - br) / 2, di = (ai - bi) / 2; // odd part times i
      // odd = (Z[k] - conj(Z[half-k])) / (2i) = (d) * (-i)
      const or = di, oi = -dr;
      re[k] = er + wr[k]! * or - wi[k]! * oi;
      im[k] = ei + wr[k]! * oi + wi[k]! * or;
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
  const fft = new ComplexFft(m);
  const chirpRe = new Float64Array(n);
  const chirpIm = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    // exp(-i pi t^2 / n), with t^2 reduced mod 2n to keep the angle accurate.
    const angle = (Math.PI * ((t * t) % (2 * n))) / n;
    chirpRe[t] = Math.cos(angle);
    chirpIm[t] = -Math.sin(angle);
  }
  const kernelRe = new Float64Array(m);
  const kernelIm = new Float64Array(m);
  kernelRe[0] = chirpRe[0]!;
  kernelIm[0] = -chirpIm[0]!;
  for (let t = 1; t < n; t++) {
    kernelRe[t] = kernelRe[m - t] = chirpRe[t]!;
    kernelIm[t] = kernelIm[m - t] = -chirpIm[t]!;
  }
  fft.run(kernelRe, kernelIm);
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  const bins = Math.floor(n / 2) + 1;
  return (input: Float64Array, re: Float64Array, im: Float64Array) => {
    ar.fill(0);
    ai.fill(0);
    for (let t = 0; t < n; t++) {
      ar[t] = input[t]! * chirpRe[t]!;
      ai[t] = input[t]! * chirpIm[t]!;
    }
    fft.run(ar, ai);
    for (let k = 0; k < m; k++) {
      const r = ar[k]! * kernelRe[k]! - ai[k]! * kernelIm[k]!;
      ai[k] = ar[k]! * kernelIm[k]! + ai[k]! * kernelRe[k]!;
      ar[k] = r;
    }
    fft.run(ar, ai, true);
    for (let k = 0; k < bins; k++) {
      const xr = ar[k]! / m, xi = ai[k]! / m;
      re[k] = xr * chirpRe[k]! - xi * chirpIm[k]!;
      im[k] = xr * chirpIm[k]! + xi * chirpRe[k]!;
    }
  };
}
