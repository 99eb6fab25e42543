import { describe, expect, it, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { initBackend, tf } from '@polyfuse/core';
import { trainingRegistry, type LossFunction } from '../../index.js';

const reference = JSON.parse(readFileSync(new URL('../../../fixtures/torch-cross-entropy.json', import.meta.url), 'utf8')) as {
  cases: { logits: number[][]; targets: number[]; labelSmoothing: number; loss: number }[];
};

describe('loss/cross-entropy matches torch 1.13 F.cross_entropy', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it.each(reference.cases.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const loss = trainingRegistry.create<LossFunction>('loss', 'cross-entropy', { labelSmoothing: c.labelSmoothing });
    const value = tf.tidy(() => loss(tf.tensor1d(c.targets, 'int32'), tf.tensor2d(c.logits)).dataSync()[0]);
    expect(value).toBeCloseTo(c.loss, 5);
  });

  it('rejects a smoothing outside [0, 1] with the field path', () => {
    expect(() => trainingRegistry.create('loss', 'cross-entropy', { labelSmoothing: 2 }, 'loss.terms.main.config')).toThrow(
      'loss.terms.main.config.labelSmoothing must be a number >= 0 <= 1, got 2.',
    );
  });
});
