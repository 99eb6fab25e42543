import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '@polyfuse/core';
import { clipContrastiveLoss, LearnableLogitScale } from '../index.js';

describe('LearnableLogitScale with clipContrastiveLoss', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('starts at 1/0.07, learns through the loss, and stays clamped at 100 as CLIP does', () => {
    const temperature = new LearnableLogitScale({ name: 'clip_test_scale' });
    expect(temperature.value()).toBeCloseTo(1 / 0.07, 3);
    // Matching pairs are well separated: a sharper softmax lowers the loss, so the scale grows.
    const a = tf.tensor2d([[1, 0.1], [0.1, 1]]);
    const b = tf.tensor2d([[1, 0], [0, 1]]);
    const optimizer = tf.train.sgd(5);
    for (let step = 0; step < 20; step++) {
      optimizer.minimize(() => clipContrastiveLoss(a, b, temperature.scale()), false, [temperature.variable]);
      temperature.clamp();
    }
    expect(temperature.value()).toBeGreaterThan(1 / 0.07);
    expect(temperature.value()).toBeLessThanOrEqual(100);
    expect(temperature.variable.dataSync()[0]).toBeLessThanOrEqual(Math.log(100) + 1e-6);
    // The loss is differentiable with respect to both embeddings and the scale.
    const grads = tf.grads((x: tf.Tensor, y: tf.Tensor, s: tf.Tensor) => clipContrastiveLoss(x, y, s))([a, b, tf.scalar(10)]);
    grads.forEach((g) => expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true));
    expect(grads[2].dataSync()[0]).not.toBe(0);
    tf.dispose([a, b, ...grads]);
    temperature.dispose();
    optimizer.dispose();
  });
});
