import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, SeededRandom, ConfigError, InputError } from '@polyfuse/core';
import { ModalityDropout, applyModalityDropout, modalityDropout, sampleModalityDropout } from './modalityDropout.js';

describe('modality dropout', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('drops each modality at its own rate and never drops all of a sample', () => {
    const n = 20000;
    const presence = { image: new Float32Array(n).fill(1), audio: new Float32Array(n).fill(1), text: new Float32Array(n).fill(1) };
    const out = sampleModalityDropout(presence, { image: 0.5, audio: 0.2, text: 0 }, new SeededRandom(3));
    const rate = (m: keyof typeof out) => 1 - out[m].reduce((a, b) => a + b, 0) / n;
    expect(rate('image')).toBeCloseTo(0.5, 1);
    expect(rate('audio')).toBeCloseTo(0.2, 1);
    expect(rate('text')).toBe(0);
    const everything = sampleModalityDropout({ a: new Float32Array(n).fill(1), b: new Float32Array(n).fill(1) }, 1, new SeededRandom(1));
    for (let i = 0; i < n; i++) expect(everything.a[i] + everything.b[i]).toBe(1);
  });

  it('keeps absent modalities absent and leaves a sample with one modality intact', () => {
    const out = sampleModalityDropout({ image: [1, 0, 1], audio: [0, 1, 1] }, 0.9, new SeededRandom(0));
    expect(out.image[1]).toBe(0);
    expect(out.audio[0]).toBe(0);
    expect(out.image[0]).toBe(1);
    expect(out.audio[1]).toBe(1);
    expect(out.image[2] + out.audio[2]).toBeGreaterThanOrEqual(1);
  });

  it('is reproducible: same seed, same masks; the class checkpoints its state', () => {
    const masks = { image: tf.ones([64]), audio: tf.ones([64]) };
    const a = modalityDropout(masks, { rates: 0.4, random: new SeededRandom(7) });
    const b = modalityDropout(masks, { rates: 0.4, random: new SeededRandom(7) });
    expect(a.image.arraySync()).toEqual(b.image.arraySync());
    expect(a.audio.arraySync()).toEqual(b.audio.arraySync());
    const dropout = new ModalityDropout({ rates: { image: 0.4, audio: 0.4 }, seed: 1 });
    const state = dropout.getState();
    const first = dropout.apply(masks).image.arraySync();
    dropout.setState(state);
    expect(dropout.apply(masks).image.arraySync()).toEqual(first);
  });

  it('applies to a batch, filling missing masks with ones', () => {
    const batch = { inputs: { image: tf.zeros([4, 2]), audio: tf.zeros([4, 3]) }, mask: { image: tf.tensor1d([1, 1, 0, 1]) }, targets: {}, ids: ['a', 'b', 'c', 'd'] };
    const out = applyModalityDropout(batch, { rates: { image: 0 }, random: new SeededRandom(0) });
    expect(out.mask.image.arraySync()).toEqual([1, 1, 0, 1]);
    expect(out.mask.audio.arraySync()).toEqual([1, 1, 1, 1]);
    expect(out.inputs).toBe(batch.inputs);
  });

  it('rejects bad rates and mismatched masks', () => {
    expect(() => sampleModalityDropout({ a: [1] }, 1.5, new SeededRandom(0))).toThrow(ConfigError);
    expect(() => sampleModalityDropout({ a: [1] }, { b: 0.1 }, new SeededRandom(0))).toThrow(/'b'/);
    expect(() => sampleModalityDropout({ a: [1], b: [1, 1] }, 0.1, new SeededRandom(0))).toThrow(InputError);
  });
});
