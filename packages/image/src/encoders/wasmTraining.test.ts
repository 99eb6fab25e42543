import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, registry, tf, withSeed, type Encoder } from '@polyfuse/core';
import '../index.js'; // registers the encoders
import { classifierAround, gradientMagnitudes, overfit } from '@polyfuse/core/testing';

/** The image encoders train on the wasm backend too (conv-filter gradients come from core's wasm kernels). */
describe('image encoders on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  const cases: [string, Record<string, unknown>][] = [
    ['image-cnn', { inputShape: [8, 8, 3], filters: [4, 8], batchNorm: true, units: 8 }],
    ['image-resnet', { inputShape: [8, 8, 3], filters: [4, 8] }],
    ['image-vit', { inputShape: [8, 8, 3], patchSize: 4, modelDim: 16, numHeads: 2, depth: 1 }],
  ];
  for (const [name, config] of cases) {
    it(`${name}: every variable gets a gradient and a tiny batch is overfit`, () => {
      expect(tf.getBackend()).toBe('wasm');
      const model = classifierAround(withSeed(1, () => registry.create<Encoder>('encoder', name, config, undefined, { modality: 'image' })), 2, { modality: 'image' });
      const x = tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', 3);
      const labels = [0, 1, 1, 0];
      for (const [variable, g] of Object.entries(gradientMagnitudes(model, x, labels))) expect(g, variable).toBeGreaterThan(0);
      expect(overfit(model, x, labels, { steps: 60, learningRate: 0.01 }).at(-1)).toBeLessThan(0.1);
    });
  }
});
