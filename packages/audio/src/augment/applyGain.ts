import { InputError } from '@polyfuse/core';

/** Scales a signal by `gainDb` decibels (amplitude factor `10^(gainDb / 20)`). Returns a new array. */
export function applyGain(signal: Float32Array, gainDb: number): Float32Array {
  if (!Number.isFinite(gainDb)) throw new InputError(`applyGain: gainDb must be a finite number, got ${gainDb}.`);
  const factor = 10 ** (gainDb / 20);
  return signal.map((x) => x * factor);
}
