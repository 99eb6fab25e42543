import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registry, InputError } from '@polyfuse/core';
import { DynamicWeightAverage, type WeightingStrategy } from '../index.js';

describe('weighting/dwa', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('raises the weight of the slower-falling loss once two epochs are known', () => {
    const strategy = registry.create<WeightingStrategy>('weighting', 'dwa', {});
    const w = tf.variable(tf.tensor1d([1, 2]), true, 'dwa_test_w');
    const terms = { fast: () => w.square().sum() as tf.Scalar, slow: () => w.sum() as tf.Scalar };
    const context = { variables: [w], step: 0, epoch: 0 };
    const first = strategy.computeGradients(terms, context);
    expect(first.weights).toEqual({ fast: 1, slow: 1 });
    tf.dispose(Object.values(first.grads));

    strategy.endEpoch!({ fast: 1.0, slow: 1.0 });
    strategy.endEpoch!({ fast: 0.5, slow: 0.9 });
    const { weights, grads, total, losses } = strategy.computeGradients(terms, { ...context, epoch: 2 });
    // w_k = K exp(r_k / T) / Σ exp(r_i / T), r = [0.5, 0.9], T = 2.
    const e = [Math.exp(0.5 / 2), Math.exp(0.9 / 2)];
    expect(weights.fast).toBeCloseTo((2 * e[0]) / (e[0] + e[1]), 6);
    expect(weights.slow).toBeCloseTo((2 * e[1]) / (e[0] + e[1]), 6);
    expect(weights.slow).toBeGreaterThan(weights.fast);
    expect(weights.fast + weights.slow).toBeCloseTo(2, 6);
    // The gradient is the weighted sum: w_fast · 2w + w_slow · 1.
    const g = grads[w.name].dataSync();
    expect(g[0]).toBeCloseTo(weights.fast * 2 + weights.slow, 4);
    expect(g[1]).toBeCloseTo(weights.fast * 4 + weights.slow, 4);
    expect(total).toBeCloseTo(weights.fast * losses.fast + weights.slow * losses.slow, 4);
    tf.dispose(Object.values(grads));

    const restored = new DynamicWeightAverage();
    restored.setState(JSON.parse(JSON.stringify(strategy.getState())));
    expect(restored.currentWeights(['fast', 'slow'])).toEqual(weights);
    expect(() => restored.endEpoch({ fast: Number.NaN })).toThrow(InputError);
    w.dispose();
  });
});
