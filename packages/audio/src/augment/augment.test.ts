import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@polyfuse/core';
import { addNoise } from './addNoise.js';
import { applyGain } from './applyGain.js';
import { timeShift } from './timeShift.js';
import { maskAlongAxis } from './specAugment.js';
import { createMatrix } from '../dsp/matrix.js';

const power = (x: Float32Array) => x.reduce((s, v) => s + v * v, 0) / x.length;

describe('waveform augmentation', () => {
  it('adds noise at the requested SNR', () => {
    const signal = Float32Array.from({ length: 20000 }, (_, i) => Math.sin(i / 7));
    const noisy = addNoise(signal, 10, new SeededRandom(1));
    const noise = noisy.map((x, i) => x - signal[i]!);
    expect(10 * Math.log10(power(signal) / power(noise))).toBeCloseTo(10, 0);
    expect(addNoise(new Float32Array(10), 0, new SeededRandom(1))).toEqual(new Float32Array(10));
  });

  it('applies gain in decibels and shifts with silence', () => {
    expect(Array.from(applyGain(Float32Array.from([0.5, -1]), 20 * Math.log10(2)))).toEqual([1, -2].map((x) => expect.closeTo(x, 6)));
    expect(Array.from(timeShift(Float32Array.from([1, 2, 3, 4]), 1))).toEqual([0, 1, 2, 3]);
    expect(Array.from(timeShift(Float32Array.from([1, 2, 3, 4]), -2))).toEqual([3, 4, 0, 0]);
  });

  it('masks a band like torchaudio.functional.mask_along_axis', () => {
    const features = createMatrix(4, 10, new Float32Array(40).fill(1));
    const rng = new SeededRandom(3);
    const width = Math.floor(new SeededRandom(3).next() * 10); // the first draw sets the width
    maskAlongAxis(features, 1, 10, rng);
    const maskedFrames = Array.from({ length: 10 }, (_, t) => features.data[t] === 0);
    expect(maskedFrames.filter(Boolean)).toHaveLength(width);
    // Every row is masked at the same frames.
    for (let r = 1; r < 4; r++) expect(Array.from({ length: 10 }, (_, t) => features.data[r * 10 + t] === 0)).toEqual(maskedFrames);
  });
});
