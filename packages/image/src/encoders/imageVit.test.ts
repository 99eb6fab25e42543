import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, registry, tf, withSeed, type Encoder } from '@polyfuse/core';
import { ImageVitEncoder } from '../index.js';
import { classifierAround, gradientMagnitudes, overfit, roundTrip } from '@polyfuse/core/testing';

const images = (seed: number) => tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', seed);
const labels = [0, 1, 2, 3];

describe('encoder/image-vit', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  it('embeds patches and pools by class token or mean', () => {
    const withClass = registry.create<Encoder>('encoder', 'image-vit', { inputShape: [8, 8, 1], patchSize: 4, modelDim: 8, numHeads: 2, depth: 1 }, undefined, { modality: 'image' });
    expect(withClass.outputShape).toEqual([8]);
    expect(withClass.apply(images(1)).shape).toEqual([4, 8]);
    const mean = new ImageVitEncoder({ inputShape: [8, 8, 1], patchSize: 2, modelDim: 8, numHeads: 2, depth: 1, pooling: 'mean' });
    expect(mean.apply(images(1)).shape).toEqual([4, 8]);
  });

  for (const pooling of ['first', 'mean'] as const) {
    it(`overfits a tiny batch with ${pooling} pooling and every variable gets a gradient`, () => {
      const encoder = withSeed(5, () => new ImageVitEncoder({ inputShape: [8, 8, 1], patchSize: 4, modelDim: 16, numHeads: 2, depth: 2, pooling, modality: 'image' }));
      const model = classifierAround(encoder, 4, { modality: 'image' });
      const x = images(2);
      const grads = gradientMagnitudes(model, x, labels);
      expect(Object.keys(grads).length).toBe(model.trainableVariables().length);
      for (const [name, g] of Object.entries(grads)) expect(g, name).toBeGreaterThan(0);
      const losses = overfit(model, x, labels, { steps: 60, learningRate: 0.01 });
      expect(losses.at(-1)).toBeLessThan(0.05);
    });
  }

  it('saves and loads to identical outputs', async () => {
    const model = classifierAround(withSeed(3, () => new ImageVitEncoder({ inputShape: [8, 8, 1], patchSize: 4, modelDim: 8, numHeads: 2, depth: 1, modality: 'image' })), 2, { modality: 'image' });
    const { before, after } = await roundTrip(model, images(3));
    expect(after).toEqual(before);
  });

  it('rejects sizes that do not split into patches', () => {
    expect(() => new ImageVitEncoder({ inputShape: [10, 8, 1], patchSize: 4 })).toThrow(ConfigError);
    expect(() => new ImageVitEncoder({ inputShape: [8, 8, 1], modelDim: 10, numHeads: 4 })).toThrow(/divisible by numHeads/);
  });
});
