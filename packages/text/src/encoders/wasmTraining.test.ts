import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, registry, tf, withSeed, type Encoder } from '@polyfuse/core';
import '../index.js'; // registers the encoders
import { classifierAround, gradientMagnitudes, overfit } from '@polyfuse/core/testing';
import { tokenBatch, tokenLabels } from '../testing/tokenBatch.js';

/** The text encoders train on the wasm backend too (embedding gradients come from core's wasm kernels). */
describe('text encoders on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  const base = { vocabSize: 12, maxLength: 6, embeddingDim: 8 };
  const transformerBase = { vocabSize: 12, maxLength: 6, modelDim: 8 };
  const cases: [string, Record<string, unknown>][] = [
    ['text-bag', base],
    ['text-cnn', { ...base, kernelSizes: [2, 3], filters: 4 }],
    ['text-rnn', { ...base, cell: 'gru', units: 8, bidirectional: true }],
    ['text-rnn', { ...base, cell: 'lstm', units: 8, bidirectional: true }],
    ['text-transformer', { ...transformerBase, numHeads: 2, depth: 1 }],
  ];
  for (const [name, config] of cases) {
    it(`${name}: every variable gets a gradient and a tiny batch is overfit`, () => {
      expect(tf.getBackend()).toBe('wasm');
      const model = classifierAround(withSeed(1, () => registry.create<Encoder>('encoder', name, config, undefined, { modality: 'text' })), 4, { modality: 'text' });
      const x = tokenBatch();
      for (const [variable, g] of Object.entries(gradientMagnitudes(model, x, tokenLabels))) expect(g, variable).toBeGreaterThan(0);
      expect(overfit(model, x, tokenLabels, { steps: 50, learningRate: 0.03 }).at(-1)).toBeLessThan(0.1);
    });
  }
});
