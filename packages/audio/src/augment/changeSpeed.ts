import { InputError } from '@polyfuse/core';

const ZERO_CROSSINGS = 6;
const ROLLOFF = 0.99;
const TABLE_STEPS = 512;
/** `sinc(u) * cos^2(pi u / 12)` for u in [0, 6] at 1/512 steps: the Hann-windowed sinc of torchaudio's resampling. */
const kernelTable = Float32Array.from({ length: ZERO_CROSSINGS * TABLE_STEPS + 2 }, (_, i) => {
  const u = i / TABLE_STEPS;
  if (u >= ZERO_CROSSINGS) return 0;
  const x = Math.PI * u;
  return (u === 0 ? 1 : Math.sin(x) / x) * Math.cos(x / (2 * ZERO_CROSSINGS)) ** 2;
});

/**
 * Plays a signal `factor` times faster by resampling, like sox `speed` and
 * `torchaudio.transforms.Speed` (0.13), as in Kaldi-style speed perturbation
 * (Ko et al. 2015): the duration is divided by `factor` and every frequency
 * (pitch and formants) multiplied by it. Band-limited interpolation with
 * torchaudio's kernel (Hann-windowed sinc, 6 zero crossings, roll-off 0.99 of
 * the lower Nyquist rate), evaluated at `j * factor` for output sample `j`
 * from a table, so any factor costs about 13 / min(1, 1 / factor) taps per
 * output sample. Returns a new array of `ceil(length / factor)` samples.
 */
export function changeSpeed(signal: Float32Array, factor: number): Float32Array {
  if (!(Number.isFinite(factor) && factor >= 0.1 && factor <= 10)) {
    throw new InputError(`changeSpeed: factor must be a number between 0.1 and 10, got ${factor}.`);
  }
  if (factor === 1) return signal.slice();
  const n = signal.length;
  const out = new Float32Array(Math.ceil(n / factor));
  const cutoff = Math.min(1, 1 / factor) * ROLLOFF;
  const reach = ZERO_CROSSINGS / cutoff;
  const scale = cutoff * TABLE_STEPS;
  for (let j = 0; j < out.length; j++) {
    const position = j * factor;
    const last = Math.min(n - 1, Math.floor(position + reach));
    let sum = 0;
    for (let k = Math.max(0, Math.ceil(position - reach)); k <= last; k++) {
      const u = Math.abs(position - k) * scale;
      const i = u | 0;
      const a = kernelTable[i]!;
      sum += signal[k]! * (a + (u - i) * (kernelTable[i + 1]! - a));
    }
    out[j] = sum * cutoff;
  }
  return out;
}
