import { InputError } from '@polyfuse/core';

/**
 * Delays (positive `shift`) or advances (negative) a signal by `shift`
 * samples, keeping its length: samples pushed past an end are dropped and the
 * gap is filled with silence (no wrap-around). Returns a new array.
 */
export function timeShift(signal: Float32Array, shift: number): Float32Array {
  if (!Number.isInteger(shift)) throw new InputError(`timeShift: shift must be an integer number of samples, got ${shift}.`);
  const out = new Float32Array(signal.length);
  if (Math.abs(shift) >= signal.length) return out;
  if (shift >= 0) out.set(signal.subarray(0, signal.length - shift), shift);
  else out.set(signal.subarray(-shift));
  return out;
}
