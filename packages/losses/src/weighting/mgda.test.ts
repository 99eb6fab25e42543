import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registry, SeededRandom } from '@polyfuse/core';
import { minNormCoefficients, type WeightingStrategy } from '../index.js';

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const gramOf = (gs: number[][]) => gs.map((a) => gs.map((b) => dot(a, b)));
const combination = (alpha: number[], gs: number[][]) => gs[0].map((_, d) => alpha.reduce((s, a, k) => s + a * gs[k][d], 0));

describe('weighting/mgda', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('finds the min-norm point of the convex hull (closed form for two gradients)', () => {
    expect(minNormCoefficients(gramOf([[1, 0], [0, 1]]))).toEqual([0.5, 0.5]);
    // g1 = [2, 0], g2 = [0, 1]: min ‖γ g1 + (1 − γ) g2‖² at γ = 1/5.
    const [a, b] = minNormCoefficients(gramOf([[2, 0], [0, 1]]));
    expect(a).toBeCloseTo(0.2, 10);
    expect(b).toBeCloseTo(0.8, 10);
  });

  it('gives a common descent direction for many tasks (d · g_i ≥ ‖d‖²), matching a grid search', () => {
    const random = new SeededRandom(2);
    for (let trial = 0; trial < 20; trial++) {
      const gs = [0, 1, 2].map(() => Array.from({ length: 5 }, () => random.normal()));
      const alpha = minNormCoefficients(gramOf(gs));
      expect(alpha.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 8);
      expect(Math.min(...alpha)).toBeGreaterThanOrEqual(0);
      const d = combination(alpha, gs);
      const normSquared = dot(d, d);
      gs.forEach((g) => expect(dot(d, g)).toBeGreaterThanOrEqual(normSquared - 1e-3));
      let best = Infinity;
      for (let i = 0; i <= 100; i++) {
        for (let j = 0; i + j <= 100; j++) {
          const v = combination([i / 100, j / 100, (100 - i - j) / 100], gs);
          best = Math.min(best, dot(v, v));
        }
      }
      expect(normSquared).toBeLessThanOrEqual(best + 1e-6);
    }
  });

  it('weights the terms by α and returns Σ α_i ∇L_i', () => {
    const w = tf.variable(tf.zeros([2]), true, 'mgda_w');
    const g1 = tf.tensor1d([2, 0]);
    const g2 = tf.tensor1d([0, 1]);
    const strategy = registry.create<WeightingStrategy>('weighting', 'mgda', {});
    const before = tf.memory().numTensors;
    const { grads, weights, losses, total } = strategy.computeGradients(
      { a: () => w.mul(g1).sum() as tf.Scalar, b: () => w.mul(g2).sum().add(3) as tf.Scalar },
      { variables: [w], step: 0, epoch: 0 },
    );
    expect(weights.a).toBeCloseTo(0.2, 5);
    expect(weights.b).toBeCloseTo(0.8, 5);
    const g = grads[w.name].dataSync();
    expect(g[0]).toBeCloseTo(0.4, 5);
    expect(g[1]).toBeCloseTo(0.8, 5);
    expect(losses).toEqual({ a: 0, b: 3 });
    expect(total).toBeCloseTo(2.4, 5);
    tf.dispose(Object.values(grads));
    expect(tf.memory().numTensors).toBe(before);
    expect(() => registry.create('weighting', 'mgda', { normalisation: 'l3' })).toThrow(/weighting\/mgda\.normalisation/);
    tf.dispose([w, g1, g2]);
  });
});
