import { InputError } from '@polyfuse/core';
import { changeSpeed } from './changeSpeed.js';
import { changeTempo } from './changeTempo.js';
import { fitLength } from '../preprocessors/fitLength.js';

/**
 * Shifts the pitch (and formants) of a signal by `semitones` and keeps its
 * duration, like `torchaudio.transforms.PitchShift` (0.13) but with WSOLA in
 * place of the phase vocoder: the signal is stretched by `r = 2^(semitones / 12)`
 * with `changeTempo`, then resampled `r` times faster with `changeSpeed`.
 * Returns a new array of the input's length.
 */
export function shiftPitch(signal: Float32Array, semitones: number, sampleRate: number): Float32Array {
  if (!(Number.isFinite(semitones) && Math.abs(semitones) <= 24)) {
    throw new InputError(`shiftPitch: semitones must be a number between -24 and 24, got ${semitones}.`);
  }
  const ratio = 2 ** (semitones / 12);
  if (semitones === 0) return signal.slice();
  return fitLength(changeSpeed(changeTempo(signal, 1 / ratio, sampleRate), ratio), signal.length, 'start');
}
