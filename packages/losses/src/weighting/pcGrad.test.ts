import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registry, SeededRandom } from '@polyfuse/core';
import { PCGrad, pcgradCoefficients, type WeightingStrategy } from '../index.js';

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const gramOf = (gs: number[][]) => gs.map((a) => gs.map((b) => dot(a, b)));
const apply = (c: number[], gs: number[][]) => gs[0].map((_, d) => c.reduce((s, ck, k) => s + ck * gs[k][d], 0));

describe('weighting/pcgrad', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('projects conflicting gradients onto each other’s normal plane (paper example)', () => {
    const gs = [
      [1, 0],
      [-1, 1],
    ];
    const c = pcgradCoefficients(gramOf(gs), (i) => [1 - i]);
    expect(apply(c[0], gs)).toEqual([0.5, 0.5]);
    expect(apply(c[1], gs)).toEqual([0, 1]);
  });

  it('leaves projected gradients with non-negative dot products on random conflicting pairs', () => {
    const random = new SeededRandom(5);
    for (let trial = 0; trial < 50; trial++) {
      const gs = [0, 1].map(() => Array.from({ length: 6 }, () => random.normal()));
      const c = pcgradCoefficients(gramOf(gs), (i) => [1 - i]);
      expect(dot(apply(c[0], gs), gs[1])).toBeGreaterThanOrEqual(-1e-9);
      expect(dot(apply(c[1], gs), gs[0])).toBeGreaterThanOrEqual(-1e-9);
    }
  });

  it('applies the surgery to shared variables only, sums task-specific ones, and is leak-free', () => {
    const shared = tf.variable(tf.zeros([2]), true, 'pcgrad_shared');
    const head = tf.variable(tf.ones([1]), true, 'pcgrad_head');
    const g1 = tf.tensor1d([1, 0]);
    const g2 = tf.tensor1d([-1, 1]);
    // Linear losses: ∇_shared L1 = g1, ∇_shared L2 = g2; the head gets 1 from each.
    const terms = {
      first: () => shared.mul(g1).sum().add(head.sum()) as tf.Scalar,
      second: () => shared.mul(g2).sum().add(head.sum()) as tf.Scalar,
    };
    const strategy = registry.create<WeightingStrategy>('weighting', 'pcgrad', { seed: 1 });
    const context = { variables: [shared, head], sharedVariables: [shared], step: 0, epoch: 0 };
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const { grads, weights } = strategy.computeGradients(terms, context);
      expect(Array.from(grads[shared.name].dataSync())).toEqual([0.5, 1.5]); // [0.5, 0.5] + [0, 1]
      expect(Array.from(grads[head.name].dataSync())).toEqual([2]);
      expect(weights).toEqual({ first: 1, second: 1 });
      // The combined update descends on both tasks.
      const d = Array.from(grads[shared.name].dataSync());
      expect(dot(d, [1, 0])).toBeGreaterThanOrEqual(0);
      expect(dot(d, [-1, 1])).toBeGreaterThanOrEqual(0);
      tf.dispose(Object.values(grads));
    }
    expect(tf.memory().numTensors).toBe(before);
    expect((strategy as PCGrad).lastCoefficients).toEqual([
      [1, 0.5],
      [1, 1],
    ]);
    tf.dispose([shared, head, g1, g2]);
  });

  it('is a plain sum when gradients do not conflict, and reproducible from its state', () => {
    const random = new SeededRandom(9);
    const gs = [0, 1, 2].map(() => Array.from({ length: 4 }, () => Math.abs(random.normal())));
    const c = pcgradCoefficients(gramOf(gs), (i) => [0, 1, 2].filter((j) => j !== i));
    expect(c).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const a = new PCGrad({ seed: 4 });
    const b = new PCGrad({ seed: 99 });
    b.setState(a.getState());
    expect(b.getState()).toEqual(a.getState());
  });
});
