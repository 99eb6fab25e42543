import { InputError, type SeededRandom } from '@polyfuse/core';

/**
 * Adds white Gaussian noise at a signal-to-noise ratio of `snrDb`:
 * noise std `sqrt(P / 10^(snrDb / 10))` with `P` the mean square of
 * `reference` (default the signal itself), so `10 log10(P / P_noise) = snrDb`
 * in expectation. A silent reference gets no noise. Returns a new array.
 */
export function addNoise(signal: Float32Array, snrDb: number, rng: SeededRandom, reference: Float32Array = signal): Float32Array {
  if (!Number.isFinite(snrDb)) throw new InputError(`addNoise: snrDb must be a finite number, got ${snrDb}.`);
  let power = 0;
  for (let i = 0; i < reference.length; i++) power += reference[i]! * reference[i]!;
  power /= Math.max(1, reference.length);
  const std = Math.sqrt(power / 10 ** (snrDb / 10));
  const out = new Float32Array(signal.length);
  for (let i = 0; i < signal.length; i++) out[i] = signal[i]! + (std > 0 ? rng.normal(0, std) : 0);
  return out;
}
