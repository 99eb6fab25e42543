import { ConfigError, type ConfigSchema, type SeededRandom } from '@polyfuse/core';
import { addNoise } from '../augment/addNoise.js';
import { applyGain } from '../augment/applyGain.js';
import { timeShift } from '../augment/timeShift.js';
import { changeSpeed } from '../augment/changeSpeed.js';
import { changeTempo } from '../augment/changeTempo.js';
import { fitLength } from './fitLength.js';

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
  /** `[min, max]` speed factor (resampling: duration / f, pitch and formants x f); empty = none. */
  speedFactor: number[];
  /** `[min, max]` tempo factor (WSOLA: duration / f, pitch kept); empty = none. */
  tempoFactor: number[];
  /** `[min, max]` pitch shift in semitones (duration kept); empty = none. */
  pitchShiftSemitones: number[];
}

export const waveformAugmentationSchema: ConfigSchema = {
  noiseSnrDb: { type: 'number[]', default: [], description: 'Training only: [min, max] SNR (dB) of added white noise; [] disables.' },
  noiseProbability: { type: 'number', default: 1, min: 0, max: 1, description: 'Training only: probability of adding noise to a sample.' },
  gainDb: { type: 'number[]', default: [], description: 'Training only: [min, max] random gain in dB; [] disables.' },
  timeShiftSeconds: { type: 'number', default: 0, min: 0, description: 'Training only: largest random shift in seconds, either direction.' },
  speedFactor: {
    type: 'number[]',
    default: [],
    description: 'Training only: [min, max] of a random speed change by resampling (duration / f, pitch x f), e.g. [0.9, 1.1]; [] disables.',
  },
  tempoFactor: { type: 'number[]', default: [], description: 'Training only: [min, max] of a random tempo change by WSOLA (duration / f, pitch kept); [] disables.' },
  pitchShiftSemitones: { type: 'number[]', default: [], description: 'Training only: [min, max] of a random pitch shift in semitones (duration kept); [] disables.' },
};

export function checkRange(name: string, range: number[]): void {
  if (range.length !== 0 && (range.length !== 2 || !(range[0]! <= range[1]!))) {
    throw new ConfigError(`${name} must be [] or [min, max] with min <= max, got ${JSON.stringify(range)}.`);
  }
}

/** Checks every range option of a waveform augmentation; `label` names the preprocessor in errors. */
export function checkWaveformAugmentation(label: string, options: WaveformAugmentation): void {
  checkRange(`${label}.noiseSnrDb`, options.noiseSnrDb);
  checkRange(`${label}.gainDb`, options.gainDb);
  for (const name of ['speedFactor', 'tempoFactor'] as const) {
    checkRange(`${label}.${name}`, options[name]);
    if (options[name].some((f) => !(f >= 0.1 && f <= 10))) throw new ConfigError(`${label}.${name} must lie between 0.1 and 10, got ${JSON.stringify(options[name])}.`);
  }
  checkRange(`${label}.pitchShiftSemitones`, options.pitchShiftSemitones);
  if (options.pitchShiftSemitones.some((s) => Math.abs(s) > 24)) {
    throw new ConfigError(`${label}.pitchShiftSemitones must lie between -24 and 24, got ${JSON.stringify(options.pitchShiftSemitones)}.`);
  }
}

/** Whether any waveform augmentation is switched on. */
export function hasWaveformAugmentation(options: WaveformAugmentation): boolean {
  return (
    options.gainDb.length === 2 ||
    options.timeShiftSeconds > 0 ||
    (options.noiseSnrDb.length === 2 && options.noiseProbability > 0) ||
    hasTimingAugmentation(options)
  );
}

function hasTimingAugmentation(options: WaveformAugmentation): boolean {
  return options.speedFactor.length === 2 || options.tempoFactor.length === 2 || options.pitchShiftSemitones.length === 2;
}

/**
 * Speed, tempo and pitch perturbation of the whole signal, then crop or pad
 * to `length` (as `fitLength`). Draws the speed `s`, tempo `t` and pitch
 * shift `p` from `rng` in that order (only those configured), then stretches
 * once by `t / r` with WSOLA and resamples once by `s * r`, `r = 2^(p / 12)`:
 * the duration is divided by `s * t` and the pitch multiplied by `s * r`.
 * Without any of them configured it draws nothing and equals `fitLength`.
 *
 * A perturbed signal shorter than `length` is padded by mirroring its ends,
 * not with zeros: a clip that is noisy to its edges would otherwise gain
 * silent edges that evaluation never shows.
 */
export function perturbTiming(
  signal: Float32Array,
  sampleRate: number,
  options: WaveformAugmentation,
  rng: SeededRandom,
  length: number,
  align: 'centre' | 'start',
): Float32Array {
  if (!hasTimingAugmentation(options)) return fitLength(signal, length, align);
  const draw = (range: number[], neutral: number): number => (range.length === 2 ? rng.uniform(range[0]!, range[1]!) : neutral);
  const speed = draw(options.speedFactor, 1);
  const tempo = draw(options.tempoFactor, 1);
  const pitchRatio = 2 ** (draw(options.pitchShiftSemitones, 0) / 12);
  let out = signal;
  if (tempo !== pitchRatio) out = changeTempo(out, tempo / pitchRatio, sampleRate);
  if (speed * pitchRatio !== 1) out = changeSpeed(out, speed * pitchRatio);
  return out.length >= length ? fitLength(out, length, align) : padByMirroring(out, length, align);
}

/** Pads to `length` with the signal mirrored at its ends (`numpy.pad` mode 'reflect', repeated as needed). */
function padByMirroring(signal: Float32Array, length: number, align: 'centre' | 'start'): Float32Array {
  const n = signal.length;
  const out = new Float32Array(length);
  if (n === 0) return out;
  const offset = align === 'centre' ? Math.floor((length - n) / 2) : 0;
  const period = 2 * (n - 1);
  for (let i = 0; i < length; i++) {
    let j = i - offset;
    if (period === 0) j = 0;
    else {
      j = ((j % period) + period) % period;
      if (j >= n) j = period - j;
    }
    out[i] = signal[j]!;
  }
  return out;
}

/**
 * After `perturbTiming` and cropping: gain, then time shift, then noise (SNR measured against the shifted clip),
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
