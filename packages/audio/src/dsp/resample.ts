import { InputError } from '@polyfuse/core';

export interface ResampleOptions {
  /** Half-width of the sinc filter in zero crossings (torchaudio default 6). */
  lowpassFilterWidth?: number;
  /** Cut-off as a fraction of the lower Nyquist rate, to reduce aliasing (torchaudio default 0.99). */
  rolloff?: number;
}

const kernelCache = new Map<string, { kernel: Float64Array; width: number; orig: number; next: number }>();

/**
 * Band-limited resampling with a Hann-windowed sinc filter, the algorithm and
 * defaults of `torchaudio.functional.resample` (0.13, `sinc_interp_hann`,
 * `lowpass_filter_width=6`, `rolloff=0.99`): both rates are divided by their
 * gcd, the signal is zero-padded by the filter width and convolved with one
 * polyphase kernel per output phase. Output length is
 * `ceil(length * newRate / origRate)`.
 */
export function resample(signal: Float32Array, origRate: number, newRate: number, options: ResampleOptions = {}): Float32Array {
  if (!(signal instanceof Float32Array)) throw new InputError('resample: signal must be a Float32Array.');
  for (const [name, rate] of [['origRate', origRate], ['newRate', newRate]] as const) {
    if (!Number.isInteger(rate) || rate <= 0) throw new InputError(`resample: ${name} must be a positive integer (Hz), got ${rate}.`);
  }
  if (origRate === newRate) return signal.slice();
  const { lowpassFilterWidth = 6, rolloff = 0.99 } = options;
  const { kernel, width, orig, next } = sincKernel(origRate, newRate, lowpassFilterWidth, rolloff);
  const length = signal.length;
  const taps = 2 * width + orig;
  const steps = Math.floor((length + 2 * width + orig - taps) / orig) + 1;
  const target = Math.ceil((next * length) / orig);
  const out = new Float32Array(target);
  for (let step = 0; step < steps; step++) {
    const start = step * orig - width; // index into the unpadded signal
    for (let phase = 0; phase < next; phase++) {
      const index = step * next + phase;
      if (index >= target) return out;
      const row = phase * taps;
      let sum = 0;
      const from = Math.max(0, -start);
      const to = Math.min(taps, length - start);
      for (let k = from; k < to; k++) sum += signal[start + k]! * kernel[row + k]!;
      out[index] = sum;
    }
  }
  return out;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** torchaudio's `_get_sinc_resample_kernel`: shape [newRate/g, 2 * width + origRate/g]. */
function sincKernel(origRate: number, newRate: number, lowpassFilterWidth: number, rolloff: number) {
  const key = `${origRate}:${newRate}:${lowpassFilterWidth}:${rolloff}`;
  const cached = kernelCache.get(key);
  if (cached) return cached;
  const g = gcd(origRate, newRate);
  const orig = origRate / g;
  const next = newRate / g;
  const baseFreq = Math.min(orig, next) * rolloff;
  const width = Math.ceil((lowpassFilterWidth * orig) / baseFreq);
  const taps = 2 * width + orig;
  const kernel = new Float64Array(next * taps);
  const scale = baseFreq / orig;
  for (let phase = 0; phase < next; phase++) {
    for (let k = 0; k < taps; k++) {
      let t = (-phase / next + (k - width) / orig) * baseFreq;
      t = Math.max(-lowpassFilterWidth, Math.min(lowpassFilterWidth, t));
      const window = Math.cos((t * Math.PI) / lowpassFilterWidth / 2) ** 2;
      const x = t * Math.PI;
      kernel[phase * taps + k] = (x === 0 ? 1 : Math.sin(x) / x) * window * scale;
    }
  }
  const entry = { kernel, width, orig, next };
  if (kernelCache.size > 32) kernelCache.clear();
  kernelCache.set(key, entry);
  return entry;
}
