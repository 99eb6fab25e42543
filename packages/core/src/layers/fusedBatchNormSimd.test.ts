import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../index.js';
import { computeOn, maxRelativeDifference, randomValues } from '../testing/backendParity.js';
import { jsKernelsEnvVar, simdKernelsFor } from '../backend/wasm-gradients/simdKernels.js';
import { fusedBatchNormTraining } from './fusedBatchNorm.js';

/** y, dx, dγ, dβ, the batch mean and variance, flattened into one tensor. */
function outputsAndGradients(shape: number[], offset: number): () => tf.Tensor {
  const channels = shape[shape.length - 1]!;
  const size = shape.reduce((a, b) => a * b, 1);
  return () => {
    // An offset makes the mean large against the spread, where a one-pass variance would lose digits.
    const x = tf.tensor(randomValues(size, 51), shape).add(offset);
    const gamma = tf.linspace(0.5, 2, channels);
    const beta = tf.linspace(-0.3, 0.3, channels);
    const dy = tf.tensor(randomValues(size, 52), shape);
    let stats: Float32Array[] = [];
    const run = (xIn: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { y, mean, variance } = fusedBatchNormTraining(xIn, g, b, 1e-3);
      stats = [mean, variance];
      return y;
    };
    const y = run(x, gamma, beta);
    const grads = tf.grads(run)([x, gamma, beta], dy);
    return tf.concat([y, ...grads, tf.tensor(stats[0]!), tf.tensor(stats[1]!)].map((t) => t.flatten()));
  };
}

describe('fused batch norm with the compiled SIMD kernels (wasm, channels in fours)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });
  afterEach(() => {
    delete process.env[jsKernelsEnvVar];
  });

  it.each([
    { shape: [64, 10, 8, 16], offset: 0 },
    { shape: [3, 5, 4], offset: 50 },
    { shape: [7, 32], offset: -3 },
  ])('gives the JavaScript path’s values and gradients (within 1e-5) for x=$shape + $offset', async ({ shape, offset }) => {
    await tf.setBackend('wasm');
    expect(simdKernelsFor(tf.backend(), 'BatchNormalization')).toBeDefined();
    const compute = outputsAndGradients(shape, offset);
    const simd = await computeOn('wasm', compute);
    process.env[jsKernelsEnvVar] = 'BatchNormalization';
    const js = await computeOn('wasm', compute);
    expect(simd.values.length).toBe(js.values.length);
    expect(maxRelativeDifference(simd.values, js.values)).toBeLessThan(1e-5);
  });

  it('frees every tensor it makes', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    tf.tidy(outputsAndGradients([4, 3, 8], 1)).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
