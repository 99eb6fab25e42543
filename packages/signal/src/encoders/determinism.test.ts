import { describe, expect, it } from 'vitest';
import { registry, tf, type Encoder } from '@polyfuse/core';
import { checkEncoder, randomValues } from '@polyfuse/core/testing';
import '../index.js';

describe('signal encoders are reproducible', () => {
  it('give the same losses for the same seed', async () => {
    const run = () =>
      checkEncoder('cpu', () => registry.create<Encoder>('encoder', 'signal-mlp', { inputSize: 6, units: [8], batchNorm: true }, undefined, { modality: 'vitals' }), () => tf.tensor(randomValues(24, 5), [4, 6]), { steps: 5, modality: 'vitals' });
    const [a, b] = [await run(), await run()];
    expect([a.lossStart, a.lossEnd]).toEqual([b.lossStart, b.lossEnd]);
  });
});
