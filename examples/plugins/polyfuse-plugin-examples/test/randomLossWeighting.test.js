import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { RandomLossWeighting, randomLossWeights } from '../src/randomLossWeighting.js';

test('draws positive weights that sum to 1, the same for the same seed and step', () => {
  const weights = randomLossWeights(3, 7, 12);
  assert.equal(weights.length, 3);
  assert.ok(weights.every((w) => w > 0));
  assert.ok(Math.abs(weights.reduce((a, b) => a + b, 0) - 1) < 1e-6);
  assert.deepEqual(randomLossWeights(3, 7, 12), weights);
  assert.notDeepEqual(randomLossWeights(3, 7, 13), weights);
  assert.notDeepEqual(randomLossWeights(3, 8, 12), weights);
});

test('weights every term equally on average', () => {
  const mean = [0, 0, 0];
  for (let step = 0; step < 2000; step++) randomLossWeights(3, 0, step).forEach((w, i) => (mean[i] += w / 2000));
  for (const m of mean) assert.ok(Math.abs(m - 1 / 3) < 0.02, `mean weight ${m}`);
});

test('returns the gradient of the weighted sum, with the weights and losses it used', () => {
  const x = tf.variable(tf.tensor1d([1, 2]), true, 'x');
  const terms = { first: () => tf.sum(tf.square(x)), second: () => tf.sum(tf.mul(x, 3)) };
  const strategy = new RandomLossWeighting({ seed: 5 });
  const result = strategy.computeGradients(terms, { variables: [x], step: 4, epoch: 0 });
  const [w1, w2] = randomLossWeights(2, 5, 4);
  assert.deepEqual(result.weights, { first: w1, second: w2 });
  assert.deepEqual(result.losses, { first: 5, second: 9 });
  assert.ok(Math.abs(result.total - (5 * w1 + 9 * w2)) < 1e-5);
  // d/dx (w1 Σx² + w2 Σ3x) = 2 w1 x + 3 w2
  const grad = Array.from(result.grads.x.dataSync());
  [1, 2].forEach((xi, i) => assert.ok(Math.abs(grad[i] - (2 * w1 * xi + 3 * w2)) < 1e-5));
  assert.deepEqual(strategy.getState(), {});
});
