import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, registry, tf, withSeed, type Encoder } from '@polyfuse/core';
import { ImageResnetEncoder } from '../index.js';
import { classifierAround, gradientMagnitudes, overfit, roundTrip } from '@polyfuse/core/testing';

const images = (seed: number) => tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', seed);
const labels = [0, 1, 1, 0];

describe('encoder/image-resnet', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  it('downsamples per stage and declares its output shape', () => {
    const encoder = registry.create<Encoder>('encoder', 'image-resnet', { inputShape: [8, 8, 3], filters: [4, 8] }, undefined, { modality: 'photo' });
    expect(encoder.outputShape).toEqual([8]);
    expect(encoder.apply(images(1)).shape).toEqual([4, 8]);
    expect(new ImageResnetEncoder({ inputShape: [8, 8, 3], filters: [4], units: 5 }).outputShape).toEqual([5]);
  });

  it('overfits a tiny batch and every variable (convs, projections, batch norms) gets a gradient', () => {
    const encoder = withSeed(2, () => new ImageResnetEncoder({ inputShape: [8, 8, 3], filters: [4, 8], blocksPerStage: 1, modality: 'image' }));
    const model = classifierAround(encoder, 2, { modality: 'image' });
    const x = images(2);
    const grads = gradientMagnitudes(model, x, labels);
    expect(Object.keys(grads).length).toBe(model.trainableVariables().length);
    for (const [name, g] of Object.entries(grads)) expect(g, name).toBeGreaterThan(0);
    const losses = overfit(model, x, labels, { steps: 40, learningRate: 0.02 });
    expect(losses.at(-1)).toBeLessThan(0.05);
  });

  it('saves and loads to identical outputs', async () => {
    const model = classifierAround(withSeed(3, () => new ImageResnetEncoder({ inputShape: [8, 8, 3], filters: [4, 8], modality: 'image' })), 2, { modality: 'image' });
    const { before, after } = await roundTrip(model, images(3));
    expect(after).toEqual(before);
  });
});
