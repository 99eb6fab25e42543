import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, InputError, SeededRandom, registry, type Preprocessor } from '@polyfuse/core';
import { LogMelPreprocessor } from './logMelPreprocessor.js';
import { WaveformPreprocessor } from './waveformPreprocessor.js';
import { decodeWav } from '../wav/decodeWav.js';
import { encodeWav } from '../wav/encodeWav.js';
import { resample } from '../dsp/resample.js';
import { fitLength } from './fitLength.js';
import { mfcc } from '../features/mfcc.js';
import { computeDeltas } from '../features/computeDeltas.js';
import { readAudioBytes } from '../node.js';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const reference = JSON.parse(readFileSync(`${fixtures}reference.json`, 'utf8')) as { logMelPipeline: { shape: number[]; values: number[] } };
const evaluation = { baseDir: fixtures, training: false, rng: new SeededRandom(0) };
const training = (seed: number) => ({ baseDir: fixtures, training: true, rng: new SeededRandom(seed) });

describe('preprocessor/audio-logmel', () => {
  const create = (config: Record<string, unknown> = {}) => registry.create<Preprocessor>('preprocessor', 'audio-logmel', config);

  it('turns a WAV path into a 40 x 32 x 1 log-mel equal to the torchaudio pipeline', async () => {
    const logMel = create();
    expect(logMel.outputShape).toEqual([40, 32, 1]);
    const features = await logMel.process('wav/espeak_three.wav', evaluation);
    expect(features).toHaveLength(40 * 32);
    // espeak writes 22050 Hz: this also checks resampling to 8 kHz against torchaudio.
    const worst = Math.max(...Array.from(features, (x, i) => Math.abs(x - reference.logMelPipeline.values[i]!)));
    expect(worst).toBeLessThan(2e-3);
    const mean = features.reduce((s, x) => s + x, 0) / features.length;
    expect(mean).toBeCloseTo(0, 5);
  });

  it('gives nearly the same features for the same speech at 16 kHz and 8 kHz', async () => {
    const speech = decodeWav(readFileSync(`${fixtures}wav/espeak_three.wav`));
    const at16k = encodeWav([resample(speech.channelData[0]!, speech.sampleRate, 16000)], 16000);
    const a = await create().process(at16k, evaluation);
    const b = await create().process(speech, evaluation);
    const meanDifference = a.reduce((s, x, i) => s + Math.abs(x - b[i]!), 0) / a.length;
    expect(meanDifference).toBeLessThan(0.05);
  });

  it('augments only while training, reproducibly per seed', async () => {
    const logMel = create({ noiseSnrDb: [0, 10], gainDb: [-6, 6], timeShiftSeconds: 0.1, freqMasks: 2, freqMaskBins: 8, timeMasks: 2, timeMaskFrames: 6 });
    const clean = await logMel.process('wav/espeak_three.wav', evaluation);
    expect(clean).toEqual(await create().process('wav/espeak_three.wav', evaluation));
    const a = await logMel.process('wav/espeak_three.wav', training(5));
    const b = await logMel.process('wav/espeak_three.wav', training(5));
    const c = await logMel.process('wav/espeak_three.wav', training(6));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(clean);
  });

  it('changes speed and pitch only while training, reproducibly per seed, and says it augments', async () => {
    const logMel = create({ speedFactor: [0.85, 1.2], pitchShiftSemitones: [-3, 3] });
    expect(logMel.augments).toBe(true);
    expect(create().augments).toBe(false);
    expect(await logMel.process('wav/espeak_three.wav', evaluation)).toEqual(await create().process('wav/espeak_three.wav', evaluation));
    const a = await logMel.process('wav/espeak_three.wav', training(5));
    expect(a).toEqual(await logMel.process('wav/espeak_three.wav', training(5)));
    expect(a).not.toEqual(await logMel.process('wav/espeak_three.wav', training(6)));
    expect(() => create({ speedFactor: [0, 1.1] })).toThrow(/speedFactor must lie between 0.1 and 10/);
    expect(() => create({ pitchShiftSemitones: [3, -3] })).toThrow(ConfigError);
  });

  it('SpecAugment masks whole mel bands and frames', async () => {
    const masked = await create({ freqMasks: 1, freqMaskBins: 40, timeMasks: 0 }).process('wav/espeak_three.wav', training(1));
    const bandIsMasked = (m: number) => masked.slice(m * 32, (m + 1) * 32).every((x) => x === 0);
    expect(Array.from({ length: 40 }, (_, m) => bandIsMasked(m)).filter(Boolean).length).toBeGreaterThan(0);
  });

  it('pads short clips with silence and crops long ones', async () => {
    const tone = (seconds: number) => ({ sampleRate: 8000, channelData: [Float32Array.from({ length: 8000 * seconds }, (_, i) => Math.sin(i / 3))] });
    const logMel = new LogMelPreprocessor({ normalisation: 'none' });
    const short = await logMel.process(tone(0.25), evaluation);
    const long = await logMel.process(tone(3), evaluation);
    expect(short).toHaveLength(40 * 32);
    // The centred quarter-second leaves silent frames at both ends, at the dB floor.
    expect(short[0]).toBeCloseTo(Math.min(...short), 5);
    expect(long[0]).toBeGreaterThan(short[0]! + 20);
  });

  it('normalises each mel band with statistics fitted on the training split', async () => {
    const files = ['wav/espeak_three.wav', 'wav/pcm16_stereo.wav', 'wav/float32_stereo.wav'];
    const logMel = create({ normalisation: 'dataset' });
    await expect(logMel.process(files[0], evaluation)).rejects.toThrow(/needs fit\(trainingValues\)/);
    await logMel.fit!(files, { baseDir: fixtures });
    const outputs = await Promise.all(files.map((f) => logMel.process(f, evaluation)));
    for (const band of [0, 20, 39]) {
      const values = outputs.flatMap((o) => Array.from(o.slice(band * 32, (band + 1) * 32)));
      const mean = values.reduce((s, x) => s + x, 0) / values.length;
      const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length;
      expect(mean).toBeCloseTo(0, 4);
      expect(variance).toBeCloseTo(1, 3);
    }
    const restored = create({ normalisation: 'dataset' });
    restored.setState!(logMel.getState!());
    expect(await restored.process(files[0], evaluation)).toEqual(outputs[0]);
  });

  it('names the file and the argument in errors', async () => {
    await expect(create().process('wav/missing.wav', evaluation)).rejects.toThrow(/wav\/missing\.wav: cannot read the audio file \(no such file/);
    await expect(create().process(new Uint8Array([1, 2, 3]), evaluation)).rejects.toThrow(InputError);
    await expect(create().process(42, evaluation)).rejects.toThrow(/must be a WAV file path, WAV bytes or \{ sampleRate, channelData \}, got number 42/);
    await expect(new LogMelPreprocessor().process('a.wav', evaluation)).rejects.toThrow(/no file reader/);
    expect(() => create({ fMax: 6000 })).toThrow(/fMax <= sampleRate \/ 2 \(4000 Hz\)/);
    expect(() => create({ noiseSnrDb: [10] })).toThrow(ConfigError);
    expect(() => create({ nMel: 40 })).toThrow(/audio-logmel.nMel is not a known option/);
  });
});

describe('preprocessor/audio-mfcc', () => {
  it('gives 13 MFCCs with deltas and delta-deltas, equal to mfcc() and computeDeltas() on the same clip', async () => {
    const mfccs = registry.create<Preprocessor>('preprocessor', 'audio-mfcc', { normalisation: 'none' });
    expect(mfccs.outputShape).toEqual([39, 32, 1]);
    const out = await mfccs.process('wav/espeak_three.wav', evaluation);
    const speech = decodeWav(readFileSync(`${fixtures}wav/espeak_three.wav`));
    const clip = fitLength(resample(speech.channelData[0]!, speech.sampleRate, 8000), 31 * 256);
    const reference = mfcc(clip, { sampleRate: 8000, nMfcc: 13, nFft: 512, hopLength: 256, nMels: 40, fMin: 20 });
    const delta = computeDeltas(reference);
    const deltaDelta = computeDeltas(delta);
    const expected = [...reference.data, ...delta.data, ...deltaDelta.data];
    out.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 3));
    expect(() => registry.create('preprocessor', 'audio-mfcc', { nMfcc: 50 })).toThrow(/audio-mfcc.nMfcc \(50\) must be <= nMels \(40\)/);
  });
});

describe('preprocessor/audio-waveform', () => {
  it('gives a peak-normalised fixed-length waveform', async () => {
    const waveform = registry.create<Preprocessor>('preprocessor', 'audio-waveform', { samples: 4000 });
    expect(waveform.outputShape).toEqual([4000, 1]);
    const samples = await waveform.process('wav/espeak_three.wav', evaluation);
    expect(samples).toHaveLength(4000);
    expect(Math.max(...Array.from(samples, Math.abs))).toBeCloseTo(1, 5);
    const noisy = new WaveformPreprocessor({ samples: 4000, noiseSnrDb: [5, 5] }, { readFile: readAudioBytes });
    expect(await noisy.process('wav/espeak_three.wav', training(2))).not.toEqual(samples);
  });

  it('changes the pitch of training clips only, keeping their length', async () => {
    const shifted = new WaveformPreprocessor({ samples: 4000, pitchShiftSemitones: [-2, 2] }, { readFile: readAudioBytes });
    expect(shifted.augments).toBe(true);
    const plain = await registry.create<Preprocessor>('preprocessor', 'audio-waveform', { samples: 4000 }).process('wav/espeak_three.wav', evaluation);
    expect(await shifted.process('wav/espeak_three.wav', evaluation)).toEqual(plain);
    const a = await shifted.process('wav/espeak_three.wav', training(3));
    expect(a).toHaveLength(4000);
    expect(a).not.toEqual(plain);
    expect(await shifted.process('wav/espeak_three.wav', training(3))).toEqual(a);
  });
});
