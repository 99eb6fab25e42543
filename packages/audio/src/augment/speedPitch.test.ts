import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@polyfuse/core';
import { changeSpeed } from './changeSpeed.js';
import { resample } from '../dsp/resample.js';
import { changeTempo } from './changeTempo.js';
import { shiftPitch } from './shiftPitch.js';
import { perturbTiming, type WaveformAugmentation } from '../preprocessors/waveformAugmentation.js';

const sampleRate = 8000;
const sine = (hz: number, seconds: number) => Float32Array.from({ length: Math.round(seconds * sampleRate) }, (_, i) => Math.sin((2 * Math.PI * hz * i) / sampleRate));

/** Frequency from the upward zero crossings of the middle half (the ends hold filter and frame edges). */
function frequency(signal: Float32Array): number {
  const from = Math.floor(signal.length / 4);
  const to = Math.floor((3 * signal.length) / 4);
  const crossings: number[] = [];
  for (let i = from + 1; i < to; i++) {
    if (signal[i - 1]! < 0 && signal[i]! >= 0) crossings.push(i - 1 + signal[i - 1]! / (signal[i - 1]! - signal[i]!));
  }
  return ((crossings.length - 1) * sampleRate) / (crossings[crossings.length - 1]! - crossings[0]!);
}
const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

const noAugmentation: WaveformAugmentation = { noiseSnrDb: [], noiseProbability: 1, gainDb: [], timeShiftSeconds: 0, speedFactor: [], tempoFactor: [], pitchShiftSemitones: [] };

describe('speed, tempo and pitch augmentation', () => {
  it('changes speed by resampling: frequency x f, duration / f', () => {
    const out = changeSpeed(sine(300, 2), 1.1);
    expect(out.length).toBe(Math.ceil(16000 / 1.1));
    expect(frequency(out)).toBeCloseTo(330, 0);
    expect(frequency(changeSpeed(sine(300, 2), 0.9))).toBeCloseTo(270, 0);
  });

  it('equals torchaudio-style resampling where the factor is a ratio of rates', () => {
    const noise = new SeededRandom(2);
    const input = Float32Array.from({ length: 4000 }, () => noise.normal(0, 0.3));
    for (const [factor, from, to] of [[1.25, 10000, 8000], [0.8, 8000, 10000]] as const) {
      const ours = changeSpeed(input, factor);
      const reference = resample(input, from, to);
      expect(ours.length).toBe(reference.length);
      expect(Math.max(...ours.map((x, i) => Math.abs(x - reference[i]!)))).toBeLessThan(1e-3);
    }
  });

  it('changes tempo and keeps the pitch and the level', () => {
    const input = sine(220, 2);
    for (const factor of [0.8, 1.25]) {
      const out = changeTempo(input, factor, sampleRate);
      expect(out.length).toBe(Math.round(16000 / factor));
      expect(frequency(out) / 220).toBeCloseTo(1, 2);
      expect(rms(out.subarray(1000, -1000))).toBeCloseTo(rms(input), 1);
    }
  });

  it('shifts the pitch by semitones and keeps the duration', () => {
    const out = shiftPitch(sine(300, 2), 3, sampleRate);
    expect(out.length).toBe(16000);
    expect(frequency(out) / (300 * 2 ** (3 / 12))).toBeCloseTo(1, 2);
    expect(frequency(shiftPitch(sine(300, 2), -2, sampleRate)) / (300 * 2 ** (-2 / 12))).toBeCloseTo(1, 2);
  });

  it('draws the same perturbation from the same seed, and nothing when switched off', () => {
    const options = { ...noAugmentation, speedFactor: [0.9, 1.1], tempoFactor: [0.85, 1.15], pitchShiftSemitones: [-3, 3] };
    const input = sine(250, 1);
    const a = perturbTiming(input, sampleRate, options, new SeededRandom(7), 7750, 'centre');
    expect(a.length).toBe(7750);
    expect(perturbTiming(input, sampleRate, options, new SeededRandom(7), 7750, 'centre')).toEqual(a);
    expect(perturbTiming(input, sampleRate, options, new SeededRandom(8), 7750, 'centre')).not.toEqual(a);
    const rng = new SeededRandom(1);
    expect(Array.from(perturbTiming(Float32Array.from([1, 2, 3, 4]), sampleRate, noAugmentation, rng, 2, 'centre'))).toEqual([2, 3]);
    expect(rng.next()).toBe(new SeededRandom(1).next()); // no draw
  });

  it('pads a sped-up clip by mirroring its ends, not with silence', () => {
    const noise = Float32Array.from({ length: 8000 }, () => 0.5);
    const out = perturbTiming(noise, sampleRate, { ...noAugmentation, speedFactor: [1.2, 1.2] }, new SeededRandom(1), 7750, 'centre');
    expect(Math.min(...out.subarray(0, 50)) > 0.4).toBe(true);
    expect(Math.min(...out.subarray(-50)) > 0.4).toBe(true);
  });
});
