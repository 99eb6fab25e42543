import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { focalLoss } from '../src/focalLoss.js';

const logits = [[2, 0.5, -1], [0.1, 0.2, 0.3], [-3, 4, 0]];
const target = [0, 2, 1];

/** The formula written out in plain numbers, to compare with. */
function reference(gamma, alpha = [1, 1, 1]) {
  const losses = logits.map((row, i) => {
    const z = row.map(Math.exp);
    const p = z[target[i]] / z.reduce((a, b) => a + b, 0);
    return -alpha[target[i]] * (1 - p) ** gamma * Math.log(p);
  });
  return losses.reduce((a, b) => a + b, 0) / losses.length;
}

const value = (options) => focalLoss(tf.tensor2d(logits), tf.tensor1d(target, 'int32'), options).dataSync()[0];

test('is cross-entropy when gamma is 0', () => {
  // Per sample -log softmax(logits)[target] = 0.241311, 1.001943, 0.019045; torch's cross_entropy is their mean.
  assert.ok(Math.abs(value({ gamma: 0 }) - 0.420766) < 1e-5);
  assert.ok(Math.abs(value({ gamma: 0 }) - reference(0)) < 1e-6);
});

test('down-weights well-classified samples by (1 - p)^gamma', () => {
  assert.ok(Math.abs(value({ gamma: 2 }) - reference(2)) < 1e-6);
  assert.ok(value({ gamma: 2 }) < value({ gamma: 0 }));
});

test('weights each sample by its class alpha, and sums on request', () => {
  assert.ok(Math.abs(value({ gamma: 1, alpha: [0.25, 1, 2] }) - reference(1, [0.25, 1, 2])) < 1e-6);
  assert.ok(Math.abs(value({ gamma: 1, reduction: 'sum' }) - 3 * reference(1)) < 1e-5);
});

test('has finite gradients for saturated logits', () => {
  const grad = tf.grad((x) => focalLoss(x, tf.tensor1d([0], 'int32'), { gamma: 0.5 }))(tf.tensor2d([[100, -100]]));
  assert.ok(grad.dataSync().every(Number.isFinite));
});

test('names the shapes it expected', () => {
  assert.throws(() => focalLoss(tf.zeros([2, 3]), tf.zeros([3], 'int32')), /expected logits \[B, C\] and class indices \[B\], got \[2,3\] and \[3\]/);
});
