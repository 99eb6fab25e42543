import { ConfigError, type ConfigSchema, type SeededRandom } from '@polyfuse/core';
import { addNoise } from '../augment/addNoise.js';
import { applyGain } from '../augment/applyGain.js';
import { timeShift } from '../augment/timeShift.js';

/** Waveform augmentations shared by the audio preprocessors; they run only while training. */
export interface WaveformAugmentation {
  /** `[min, max]` SNR in dB of added white noise; empty = none. */
  noiseSnrDb: number[];
  /** Probability that a sample gets noise. */
  noiseProbability: number;
  /** `[min, max]` gain in dB; empty = none. */
  gainDb: number[];
  /** Largest shift, either way, in seconds (zero-filled, no wrap-around). */
  timeShiftSeconds: number;
}

export const waveformAugmentationSchema: ConfigSchema = {
  noiseSnrDb: { type: 'number[]', default: [], description: 'Training only: [min, max] SNR (dB) of added white noise; [] disables.' },
  noiseProbability: { type: 'number', default: 1, min: 0, max: 1, description: 'Training only: probability of adding noise to a sample.' },
  gainDb: { type: 'number[]', default: [], description: 'Training only: [min, max] random gain in dB; [] disables.' },
  timeShiftSeconds: { type: 'number', default: 0, min: 0, description: 'Training only: largest random shift in seconds, either direction.' },
};

export function checkRange(name: string, range: number[]): void {
  if (range.length !== 0 && (range.length !== 2 || !(range[0]! <= range[1]!))) {
    throw new ConfigError(`${name} must be [] or [min, max] with min <= max, got ${JSON.stringify(range)}.`);
  }
}

/** Whether any waveform augmentation is switched on. */
export function hasWaveformAugmentation(options: WaveformAugmentation): boolean {
  return options.gainDb.length === 2 || options.timeShiftSeconds > 0 || (options.noiseSnrDb.length === 2 && options.noiseProbability > 0);
}

/**
 * Gain, then time shift, then noise (SNR measured against the shifted clip),
 * each drawn from `rng`, in that fixed order so a seed reproduces a sample.
 */
export function augmentWaveform(signal: Float32Array, sampleRate: number, options: WaveformAugmentation, rng: SeededRandom): Float32Array {
  let out = signal;
  if (options.gainDb.length === 2) out = applyGain(out, rng.uniform(options.gainDb[0]!, options.gainDb[1]!));
  const maxShift = Math.round(options.timeShiftSeconds * sampleRate);
  if (maxShift > 0) out = timeShift(out, rng.int(2 * maxShift + 1) - maxShift);
  if (options.noiseSnrDb.length === 2 && rng.next() < options.noiseProbability) {
    out = addNoise(out, rng.uniform(options.noiseSnrDb[0]!, options.noiseSnrDb[1]!), rng);
  }
  return out;
}
