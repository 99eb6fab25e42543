/**
 * Discrete Fourier transforms of interleaved complex rows, in float64:
 * X[k] = Σ_j x[j] · e^{∓2πi·jk/n}, the inverse scaled by 1/n (numpy.fft and
 * TensorFlow conventions). Radix-2 Cooley–Tukey for powers of two; Bluestein's
 * chirp-z algorithm (a power-of-two convolution) for every other length, so
 * every length costs O(n log n).
 */
export function fourierTransformRows(pairs: ArrayLike<number>, rows: number, n: number, inverse: boolean): Float64Array {
  const out = new Float64Array(2 * rows * n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const transform = isPowerOfTwo(n) ? radix2 : bluestein;
  for (let row = 0; row < rows; row++) {
    const base = 2 * row * n;
    for (let j = 0; j < n; j++) {
      re[j] = pairs[base + 2 * j]!;
      im[j] = pairs[base + 2 * j + 1]!;
    }
    transform(re, im, inverse);
    const scale = inverse ? 1 / n : 1;
    for (let j = 0; j < n; j++) {
      out[base + 2 * j] = re[j]! * scale;
      out[base + 2 * j + 1] = im[j]! * scale;
    }
  }
  return out;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** In-place unscaled transform of a power-of-two length. */
function radix2(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size <<= 1) {
    const angle = (sign * 2 * Math.PI) / size;
    const half = size >> 1;
    for (let k = 0; k < half; k++) {
      const wr = Math.cos(angle * k);
      const wi = Math.sin(angle * k);
      for (let start = 0; start < n; start += size) {
        const a = start + k;
        const b = a + half;
        const tr = re[b]! * wr - im[b]! * wi;
        const ti = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
      }
    }
  }
}

/** In-place unscaled transform of any length via a chirp-z convolution. */
function bluestein(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const sign = inverse ? 1 : -1;
  // chirp[k] = e^{sign·πi·k²/n}; k² mod 2n keeps the angle exact for large k.
  const chirpRe = new Float64Array(n);
  const chirpIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const angle = (sign * Math.PI * ((k * k) % (2 * n))) / n;
    chirpRe[k] = Math.cos(angle);
    chirpIm[k] = Math.sin(angle);
  }
  const aRe = new Float64Array(m);
  const aIm = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    aRe[k] = re[k]! * chirpRe[k]! - im[k]! * chirpIm[k]!;
    aIm[k] = re[k]! * chirpIm[k]! + im[k]! * chirpRe[k]!;
  }
  const bRe = new Float64Array(m);
  const bIm = new Float64Array(m);
  bRe[0] = chirpRe[0]!;
  bIm[0] = -chirpIm[0]!;
  for (let k = 1; k < n; k++) {
    bRe[k] = bRe[m - k] = chirpRe[k]!;
    bIm[k] = bIm[m - k] = -chirpIm[k]!;
  }
  radix2(aRe, aIm, false);
  radix2(bRe, bIm, false);
  for (let k = 0; k < m; k++) {
    const r = aRe[k]! * bRe[k]! - aIm[k]! * bIm[k]!;
    aIm[k] = aRe[k]! * bIm[k]! + aIm[k]! * bRe[k]!;
    aRe[k] = r;
  }
  radix2(aRe, aIm, true);
  for (let k = 0; k < n; k++) {
    const cr = aRe[k]! / m;
    const ci = aIm[k]! / m;
    re[k] = cr * chirpRe[k]! - ci * chirpIm[k]!;
    im[k] = cr * chirpIm[k]! + ci * chirpRe[k]!;
  }
}
