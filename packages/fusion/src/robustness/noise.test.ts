import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, SeededRandom } from '@polyfuse/core';
import { imageBlur, imageContrast, imageGaussianNoise, imageOcclusion } from './imageNoise.js';
import { audioDroppedSegments, audioWhiteNoise, whiteNoiseAtSnr } from './audioNoise.js';
import { signalDroppedValues, signalGaussianNoise } from './signalNoise.js';
import { textDropWords, textSwapWords, textTypos, tokenDrop, tokenSwap } from './textNoise.js';

const rng = (seed = 1) => new SeededRandom(seed);

describe('noise injectors', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('image: Gaussian noise grows with the level, is seeded and stays in range', () => {
    const x = tf.fill([2, 8, 8, 1], 0.5);
    const diff = (level: number) => tf.mean(tf.abs(tf.sub(imageGaussianNoise(x, level, rng()), x))).dataSync()[0];
    expect(diff(0)).toBe(0);
    expect(diff(0.1)).toBeLessThan(diff(0.3));
    expect(imageGaussianNoise(x, 0.3, rng(4)).arraySync()).toEqual(imageGaussianNoise(x, 0.3, rng(4)).arraySync());
    const noisy = imageGaussianNoise(x, 1, rng());
    expect(tf.min(noisy).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(noisy).dataSync()[0]).toBeLessThanOrEqual(1);
  });

  it('image: blur keeps a constant interior and spreads an impulse; contrast flattens; occlusion zeroes a square', () => {
    const impulse = tf.buffer([1, 9, 9, 1]);
    impulse.set(1, 0, 4, 4, 0);
    const blurred = imageBlur(impulse.toTensor(), 0.3).arraySync() as number[][][][];
    expect(blurred[0][4][4][0]).toBeLessThan(1);
    expect(blurred[0][4][5][0]).toBeGreaterThan(0);
    expect(blurred.flat(3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const x = tf.randomUniform([1, 6, 6, 3], 0, 1, 'float32', 2);
    const flat = imageContrast(x, 1);
    expect(tf.max(tf.abs(tf.sub(flat, tf.mean(x)))).dataSync()[0]).toBeLessThan(1e-5);
    const occluded = imageOcclusion(tf.ones([2, 10, 10, 3]), 0.5, rng());
    expect(tf.sum(tf.sub(1, occluded)).dataSync()[0]).toBe(2 * 25 * 3);
  });

  it('audio: white noise hits the requested SNR; dropped segments zero the requested fraction', () => {
    const t = tf.sin(tf.mul(tf.range(0, 4000), 0.05)).reshape([1, 4000]);
    const noisy = whiteNoiseAtSnr(t, 10, rng());
    const signalPower = tf.mean(tf.square(t)).dataSync()[0];
    const noisePower = tf.mean(tf.square(tf.sub(noisy, t))).dataSync()[0];
    expect(10 * Math.log10(signalPower / noisePower)).toBeCloseTo(10, 0);
    expect(audioWhiteNoise(t, 0, rng()).arraySync()).toEqual(t.arraySync());
    const dropped = audioDroppedSegments(tf.ones([3, 100]), 0.3, rng());
    expect(Array.from(tf.sum(dropped, 1).dataSync())).toEqual([70, 70, 70]);
  });

  it('signal: noise scales with each feature spread; dropped values follow the level', () => {
    const x = tf.concat([tf.randomNormal([500, 1], 0, 1, 'float32', 1), tf.randomNormal([500, 1], 0, 10, 'float32', 2)], 1);
    const delta = tf.moments(tf.sub(signalGaussianNoise(x, 0.5, rng()), x), 0).variance.sqrt().dataSync();
    expect(delta[1] / delta[0]).toBeGreaterThan(5);
    const kept = tf.mean(signalDroppedValues(tf.ones([100, 100]), 0.25, rng())).dataSync()[0];
    expect(kept).toBeCloseTo(0.75, 1);
  });

  it('text: typos, dropped and swapped words, on strings and on token ids', () => {
    const text = 'the quick brown fox jumps over the lazy dog';
    expect(textTypos(text, 0, rng())).toBe(text);
    const typo = textTypos(text, 1, rng());
    expect(typo).not.toBe(text);
    expect(typo.split(' ')).toHaveLength(9);
    expect(textDropWords(text, 1, rng())).toBe('');
    expect(textDropWords(text, 0, rng())).toBe(text);
    const swapped = textSwapWords(text, 1, rng());
    expect(swapped.split(' ').slice(0, 2)).toEqual(['quick', 'the']);
    expect([...swapped.split(' ')].sort()).toEqual([...text.split(' ')].sort());
    const ids = tf.tensor2d([[5, 6, 7, 0, 0]], [1, 5], 'int32');
    expect(tokenDrop(ids, 1, rng()).arraySync()).toEqual([[0, 0, 0, 0, 0]]);
    expect(tokenSwap(ids, 1, rng()).arraySync()).toEqual([[6, 5, 7, 0, 0]]);
    expect(tokenSwap(ids, 1, rng()).dtype).toBe('int32');
  });
});
