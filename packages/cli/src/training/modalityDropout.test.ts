import { describe, expect, it, beforeAll } from 'vitest';
import { initBackend, tf, SeededRandom } from '@polyfuse/core';
import { randomModalityDropout } from '../index.js';

describe('randomModalityDropout', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  const context = (seed: number) => ({ rng: new SeededRandom(seed), step: 0, epoch: 0, training: true as const });
  const masks = () => ({ image: tf.tensor1d([1, 1, 1, 0, 1, 1, 1, 1]), audio: tf.tensor1d([1, 1, 0, 1, 1, 1, 1, 1]) });

  it('drops present modalities at the given rate, the same way for the same seed, never all of a sample', () => {
    const drop = randomModalityDropout(0.9);
    const a = drop(masks(), context(3));
    const b = drop(masks(), context(3));
    const image = Array.from(a.image.dataSync());
    const audio = Array.from(a.audio.dataSync());
    expect(image).toEqual(Array.from(b.image.dataSync()));
    expect(audio).toEqual(Array.from(b.audio.dataSync()));
    // Every sample keeps exactly one modality at this rate; absent ones stay absent.
    image.forEach((v, i) => expect(v + audio[i]).toBe(1));
    expect(image[3]).toBe(0);
    expect(audio[2]).toBe(0);
  });

  it('draws exactly as the CLI always has (pinned masks and generator state), via @polyfuse/fusion', () => {
    // Pinned from the CLI's own implementation before it delegated to fusion's modalityDropout: same draws, same order.
    const rng = new SeededRandom(5);
    const out = randomModalityDropout(0.5)(masks(), { rng, step: 0, epoch: 0, training: true });
    expect(Array.from(out.image.dataSync())).toEqual([0, 1, 1, 0, 0, 1, 1, 0]);
    expect(Array.from(out.audio.dataSync())).toEqual([1, 0, 0, 1, 1, 0, 1, 1]);
    expect(rng.getState()).toBe(3182515996);
  });

  it('changes nothing at rate 0', () => {
    const out = randomModalityDropout(0)(masks(), context(1));
    expect(Array.from(out.image.dataSync())).toEqual([1, 1, 1, 0, 1, 1, 1, 1]);
    expect(Array.from(out.audio.dataSync())).toEqual([1, 1, 0, 1, 1, 1, 1, 1]);
  });
});
