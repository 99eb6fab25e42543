import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registry, SeededRandom } from '@polyfuse/core';
import { CAGrad, caGradCoefficients, type CAGradRescale, type WeightingStrategy } from '../index.js';

/** LibMTL's CAGrad in numpy + scipy, written by fixtures/generate.py. */
interface CAGradCase {
  name: string;
  options: { c: number; rescale: CAGradRescale };
  termGradients: number[][];
  simplexWeights: number[];
  sharedGradient: number[];
}
const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/losses.json', import.meta.url), 'utf8')) as {
  weighting: (CAGradCase & { strategy: string })[];
};
const cases = fixtures.weighting.filter((c) => c.strategy === 'cagrad');

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const gramOf = (gs: number[][]) => gs.map((a) => gs.map((b) => dot(a, b)));
const combination = (coefficients: number[], gs: number[][]) =>
  gs[0].map((_, d) => coefficients.reduce((s, a, k) => s + a * gs[k][d], 0));

function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  const scale = Math.max(1, ...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    const tolerance = 1e-4 * (scale + Math.abs(expected[i])) / 2;
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, reference ${expected[i]} (tolerance ${tolerance})`);
    }
  }
}

describe('weighting/cagrad', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it.each(cases.map((c) => [c.name, c] as const))('matches LibMTL’s CAGrad to 1e-4: %s', (_, c) => {
    const k = c.termGradients.length;
    const shared = tf.variable(tf.zeros([c.termGradients[0].length]), true, `cagrad_fixture_shared_${c.name}`);
    const head = tf.variable(tf.zeros([2]), true, `cagrad_fixture_head_${c.name}`);
    const gradients = c.termGradients.map((g) => tf.tensor1d(g));
    const headGradients = c.termGradients.map((_, i) => tf.tensor1d([i + 1, -1]));
    // Linear terms: ∇_shared L_i = g_i, ∇_head L_i = [i + 1, −1].
    const terms = Object.fromEntries(
      gradients.map((g, i) => [`task${i}`, () => shared.mul(g).sum().add(head.mul(headGradients[i]).sum()) as tf.Scalar]),
    );
    const strategy = registry.create<WeightingStrategy>('weighting', 'cagrad', c.options) as CAGrad;
    const { grads, weights } = strategy.computeGradients(terms, {
      variables: [shared, head],
      sharedVariables: [shared],
      step: 0,
      epoch: 0,
    });
    expectClose(grads[shared.name].dataSync(), c.sharedGradient, `${c.name} shared gradient`);
    expectClose(strategy.lastSimplexWeights, c.simplexWeights, `${c.name} simplex weights`);
    // The task-specific variable gets the plain sum: [Σ (i + 1), −K].
    expect(Array.from(grads[head.name].dataSync())).toEqual([(k * (k + 1)) / 2, -k]);
    expectClose(combination(Object.values(weights), c.termGradients), c.sharedGradient, `${c.name} Σ weights_i g_i`);
    tf.dispose([shared, head, ...gradients, ...headGradients, ...Object.values(grads)]);
  });

  it('maximises the worst task’s improvement within the ball ‖d − g0‖ <= c‖g0‖ (rescale 0)', () => {
    const random = new SeededRandom(3);
    for (let trial = 0; trial < 20; trial++) {
      const k = 2 + (trial % 3);
      const gs = Array.from({ length: k }, () => Array.from({ length: 4 }, () => random.normal()));
      const c = 0.5;
      const d = combination(caGradCoefficients(gramOf(gs), c, 0).coefficients, gs);
      const g0 = combination(gs.map(() => 1 / k), gs);
      const radius = c * Math.sqrt(dot(g0, g0));
      const offset = d.map((v, i) => v - g0[i]);
      expect(Math.sqrt(dot(offset, offset))).toBeLessThanOrEqual(radius * (1 + 1e-6));
      const worst = (x: number[]) => Math.min(...gs.map((g) => dot(g, x)));
      expect(worst(d)).toBeGreaterThanOrEqual(worst(g0) - 1e-9);
      // No point on the ball's surface does better for the worst task.
      for (let sample = 0; sample < 500; sample++) {
        const u = g0.map(() => random.normal());
        const norm = Math.sqrt(dot(u, u));
        expect(worst(g0.map((v, i) => v + (radius * u[i]) / norm))).toBeLessThanOrEqual(worst(d) + 1e-6);
      }
    }
  });

  it('is the plain average for c = 0 and rescales by 1 + c² or 1 + c', () => {
    const gs = [
      [1, 0],
      [-1, 1],
      [0.5, 2],
    ];
    // The reference's 1e-8 in φ leaves a 1e-8-sized pull towards g_w even at c = 0.
    caGradCoefficients(gramOf(gs), 0, 0).coefficients.forEach((a) => expect(a).toBeCloseTo(1 / 3, 7));
    const plain = caGradCoefficients(gramOf(gs), 0.4, 0).coefficients;
    const squared = caGradCoefficients(gramOf(gs), 0.4, 1).coefficients;
    const linear = caGradCoefficients(gramOf(gs), 0.4, 2).coefficients;
    plain.forEach((p, i) => {
      expect(squared[i]).toBeCloseTo(p / 1.16, 12);
      expect(linear[i]).toBeCloseTo(p / 1.4, 12);
    });
  });

  it('is leak-free across steps, keeps no state, and checks its options', () => {
    const shared = tf.variable(tf.tensor1d([0.3, -0.2, 0.1]), true, 'cagrad_leak_shared');
    const x = tf.tensor2d([[1, 2, 3], [0, 1, -1]]);
    const terms = {
      a: () => x.matMul(shared.expandDims(1)).sub(1).square().mean() as tf.Scalar,
      b: () => x.matMul(shared.expandDims(1)).add(1).square().mean() as tf.Scalar,
    };
    const strategy = registry.create<WeightingStrategy>('weighting', 'cagrad', {});
    tf.dispose(Object.values(strategy.computeGradients(terms, { variables: [shared], step: 0, epoch: 0 }).grads));
    const before = tf.memory().numTensors;
    for (let step = 1; step <= 3; step++) {
      tf.dispose(Object.values(strategy.computeGradients(terms, { variables: [shared], step, epoch: 0 }).grads));
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(strategy.getState()).toEqual({});
    strategy.setState({});
    expect(() => registry.create('weighting', 'cagrad', { c: -0.1 })).toThrow(/weighting\/cagrad\.c/);
    expect(() => registry.create('weighting', 'cagrad', { rescale: 3 })).toThrow(/weighting\/cagrad\.rescale/);
    expect(() => new CAGrad({ rescale: 3 as CAGradRescale })).toThrow(/weighting\/cagrad\.rescale/);
    tf.dispose([shared, x]);
  });
});
