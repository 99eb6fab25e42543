import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registry, SeededRandom } from '@polyfuse/core';
import { mseLoss, UncertaintyWeighting, type WeightingStrategy } from '../index.js';

describe('weighting/uncertainty', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('learns the smaller weight for the noisier task, with σ² tracking each loss', () => {
    const random = new SeededRandom(3);
    const n = 200;
    const xs = Array.from({ length: n }, () => random.normal());
    const x = tf.tensor1d(xs);
    const clean = tf.tensor1d(xs.map((v) => 2 * v + random.normal(0, 0.1)));
    const noisy = tf.tensor1d(xs.map((v) => -v + random.normal(0, 1.5)));
    const slopeClean = tf.variable(tf.scalar(0), true, 'uw_slope_clean');
    const slopeNoisy = tf.variable(tf.scalar(0), true, 'uw_slope_noisy');
    const strategy = registry.create<WeightingStrategy>('weighting', 'uncertainty', { terms: ['clean', 'noisy'] });
    expect(strategy.variables).toHaveLength(2);
    const terms = {
      clean: () => mseLoss(x.mul(slopeClean), clean),
      noisy: () => mseLoss(x.mul(slopeNoisy), noisy),
    };
    const optimizer = tf.train.adam(0.05);
    let last = strategy.computeGradients(terms, { variables: [slopeClean, slopeNoisy], step: 0, epoch: 0 });
    expect(last.weights).toEqual({ clean: 1, noisy: 1 });
    for (let step = 0; step < 400; step++) {
      optimizer.applyGradients(last.grads);
      tf.dispose(Object.values(last.grads));
      last = strategy.computeGradients(terms, { variables: [slopeClean, slopeNoisy], step, epoch: 0 });
    }
    tf.dispose(Object.values(last.grads));
    expect(last.weights.clean).toBeGreaterThan(20 * last.weights.noisy);
    // At the optimum σ_i² = L_i, i.e. weight = 1 / L_i.
    expect(1 / last.weights.clean).toBeCloseTo(last.losses.clean, 1);
    expect(1 / last.weights.noisy / last.losses.noisy).toBeCloseTo(1, 1);
    // Total = Σ exp(−s) L + s.
    const s = (strategy.getState() as { logVariances: Record<string, number> }).logVariances;
    expect(last.total).toBeCloseTo(last.weights.clean * last.losses.clean + s.clean + last.weights.noisy * last.losses.noisy + s.noisy, 3);

    const restored = new UncertaintyWeighting();
    restored.setState(strategy.getState());
    expect(restored.getState()).toEqual(strategy.getState());
    tf.dispose([x, clean, noisy, slopeClean, slopeNoisy]);
    optimizer.dispose();
    (strategy as UncertaintyWeighting).dispose();
    restored.dispose();
  });
});

describe('weighting/uncertainty variables', () => {
  it('creates exactly one live tensor per learned log-variance', () => {
    const before = tf.memory().numTensors;
    const strategy = new UncertaintyWeighting({ terms: ['a', 'b', 'c'] });
    expect(tf.memory().numTensors).toBe(before + 3);
    strategy.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
