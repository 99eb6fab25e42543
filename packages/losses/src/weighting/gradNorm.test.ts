import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registry, SeededRandom } from '@polyfuse/core';
import { GradNorm, mseLoss, type WeightingStrategy } from '../index.js';

describe('weighting/gradnorm', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('brings the weighted gradient norms of the shared layer together', () => {
    // Two regression tasks on a shared linear layer; task b's loss is 10x larger,
    // so with equal weights its gradient on the shared layer is 10x larger.
    const random = new SeededRandom(11);
    const n = 64;
    const x = tf.tensor2d(Array.from({ length: n * 4 }, () => random.normal()), [n, 4]);
    // Noisy targets, so that neither loss can reach zero.
    const noise = () => tf.tensor2d(Array.from({ length: n }, () => random.normal()), [n, 1]);
    const targetA = tf.tidy(() => x.matMul(tf.tensor2d([[1], [-1], [0.5], [2]])).add(noise()));
    const targetB = tf.tidy(() => x.matMul(tf.tensor2d([[-0.5], [1], [1.5], [0]])).add(noise()));
    const init = (shape: number[], name: string) =>
      tf.variable(tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b) }, () => random.normal(0, 0.5)), shape), true, name);
    const shared = init([4, 8], 'gradnorm_shared');
    const headA = init([8, 1], 'gradnorm_head_a');
    const headB = init([8, 1], 'gradnorm_head_b');
    const terms = {
      a: () => mseLoss(x.matMul(shared).matMul(headA), targetA),
      b: () => mseLoss(x.matMul(shared).matMul(headB), targetB).mul(10) as tf.Scalar,
    };
    const strategy = registry.create<GradNorm & WeightingStrategy>('weighting', 'gradnorm', { alpha: 0.5, terms: ['a', 'b'] });
    const context = { variables: [shared, headA, headB], sharedVariables: [shared], step: 0, epoch: 0 };
    // The model is held fixed so that only GradNorm's own weights move: then
    // r_i = 1 and the target is the mean weighted norm, which the weights must reach.
    const optimizer = tf.train.adam(0.02);
    const ownGradients = (grads: tf.NamedTensorMap) =>
      Object.fromEntries(strategy.variables.map((v) => [v.name, grads[v.name]]));
    const spread = () => {
      const norms = Object.values(strategy.lastWeightedNorms);
      return Math.max(...norms) / Math.min(...norms);
    };
    let steady = 0;
    let result = strategy.computeGradients(terms, context);
    const initialSpread = spread();
    expect(initialSpread).toBeGreaterThan(5);
    for (let step = 1; step <= 100; step++) {
      optimizer.applyGradients(ownGradients(result.grads));
      tf.dispose(Object.values(result.grads));
      result = strategy.computeGradients(terms, { ...context, step });
      if (step === 10) steady = tf.memory().numTensors; // Adam has made its slots by now
    }
    expect(spread()).toBeLessThan(1.2);
    // The larger-gradient task b ends with the much smaller weight.
    expect(result.weights.b).toBeLessThan(result.weights.a / 5);
    expect(result.weights.a + result.weights.b).toBeCloseTo(2, 5);
    // Weight gradients come back for the trainer's optimiser.
    expect(Object.keys(result.grads)).toEqual(expect.arrayContaining(strategy.variables.map((v) => v.name)));
    // No tensor leaks from step to step.
    expect(tf.memory().numTensors).toBe(steady);
    tf.dispose(Object.values(result.grads));

    const restored = new GradNorm();
    restored.setState(JSON.parse(JSON.stringify(strategy.getState())));
    expect(restored.getState()).toEqual(strategy.getState());
    restored.dispose();
    strategy.dispose();
    optimizer.dispose();
    tf.dispose([x, targetA, targetB, shared, headA, headB]);
  });
});
