import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { melFilterbank } from './melFilterbank.js';
import { melSpectrogram } from './melSpectrogram.js';
import { amplitudeToDb } from './amplitudeToDb.js';
import { createDct } from './dct.js';
import { mfcc } from './mfcc.js';
import { computeDeltas } from './computeDeltas.js';
import { hzToMel, melToHz } from './melScale.js';

interface Values { shape: number[]; values: number[] }
const reference = JSON.parse(readFileSync(new URL('../../fixtures/reference.json', import.meta.url), 'utf8')) as {
  signal8k: number[];
  signal16k: number[];
  melFilterbank: (Values & { options: { n_freqs: number; f_min: number; f_max: number; n_mels: number; sample_rate: number; norm: 'slaney' | null; mel_scale: 'htk' | 'slaney' } })[];
  melSpectrogram: Values;
  melSpectrogramSlaney: Values;
  amplitudeToDb: { values: number[] };
  mfcc: Values;
  dct: { values: number[] };
  deltas: { delta5: number[]; deltaOfDelta7: number[] };
};
const signal8k = Float32Array.from(reference.signal8k);
const signal16k = Float32Array.from(reference.signal16k);

/** Largest |a - b| relative to the reference's largest magnitude. */
function relativeError(actual: ArrayLike<number>, expected: number[]): number {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1e-12, ...expected.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / scale);
  return worst;
}

describe('mel features match torchaudio 0.13', () => {
  it('mel scales invert each other', () => {
    for (const scale of ['htk', 'slaney'] as const) {
      for (const hz of [0, 300, 1000, 2500, 8000]) expect(melToHz(hzToMel(hz, scale), scale)).toBeCloseTo(hz, 6);
    }
    expect(hzToMel(1000, 'slaney')).toBeCloseTo(15, 10);
  });

  it.each(reference.melFilterbank.map((c) => [`${c.options.mel_scale} scale, norm ${c.options.norm}`, c] as const))('melscale_fbanks: %s', (_name, c) => {
    const o = c.options;
    const fb = melFilterbank({ nFreqs: o.n_freqs, nMels: o.n_mels, sampleRate: o.sample_rate, fMin: o.f_min, fMax: o.f_max, norm: o.norm, melScale: o.mel_scale });
    expect([fb.rows, fb.cols]).toEqual(c.shape);
    expect(relativeError(fb.data, c.values)).toBeLessThan(1e-5);
  });

  it('MelSpectrogram and AmplitudeToDB(top_db=80)', () => {
    const mel = melSpectrogram(signal8k, { sampleRate: 8000, nFft: 512, hopLength: 256, nMels: 40, fMin: 20, fMax: 4000 });
    expect([mel.rows, mel.cols]).toEqual(reference.melSpectrogram.shape);
    expect(relativeError(mel.data, reference.melSpectrogram.values)).toBeLessThan(1e-5);
    const db = amplitudeToDb(mel, { topDb: 80 });
    db.data.forEach((x, i) => expect(Math.abs(x - reference.amplitudeToDb.values[i]!)).toBeLessThan(1e-3));
  });

  it('MelSpectrogram with the Slaney scale and norm, n_fft 400 (Bluestein FFT)', () => {
    const mel = melSpectrogram(signal16k, { sampleRate: 16000, nFft: 400, hopLength: 160, nMels: 64, norm: 'slaney', melScale: 'slaney' });
    expect([mel.rows, mel.cols]).toEqual(reference.melSpectrogramSlaney.shape);
    expect(relativeError(mel.data, reference.melSpectrogramSlaney.values)).toBeLessThan(1e-5);
  });

  it('create_dct(ortho), MFCC and compute_deltas', () => {
    expect(relativeError(createDct(13, 40).data, reference.dct.values)).toBeLessThan(1e-6);
    const coefficients = mfcc(signal8k, { sampleRate: 8000, nMfcc: 13, nFft: 512, hopLength: 256, nMels: 40 });
    expect([coefficients.rows, coefficients.cols]).toEqual(reference.mfcc.shape);
    coefficients.data.forEach((x, i) => expect(Math.abs(x - reference.mfcc.values[i]!)).toBeLessThan(2e-3));
    const delta = computeDeltas(createMatrixFrom(reference.mfcc), 5);
    expect(relativeError(delta.data, reference.deltas.delta5)).toBeLessThan(1e-5);
    expect(relativeError(computeDeltas(delta, 7).data, reference.deltas.deltaOfDelta7)).toBeLessThan(1e-5);
  });

  it('rejects impossible filterbanks with the argument named', () => {
    expect(() => melFilterbank({ nFreqs: 257, nMels: 40, sampleRate: 8000, fMax: 6000 })).toThrow(/fMax <= sampleRate \/ 2 \(4000\)/);
    expect(() => createDct(50, 40)).toThrow(/nMfcc must be an integer in \[1, nMels=40\]/);
  });
});

function createMatrixFrom(values: Values) {
  return { rows: values.shape[0]!, cols: values.shape[1]!, data: Float32Array.from(values.values) };
}
