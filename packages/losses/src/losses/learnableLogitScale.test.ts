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

describe('clipContrastiveLoss with groups', () => {
  it('equals CLIP when every group is distinct, and treats same-group rows as positives', async () => {
    const { tf } = await import('@polyfuse/core');
    const a = tf.tensor2d([[1, 0], [0.9, 0.1], [0, 1]]);
    const b = tf.tensor2d([[1, 0.1], [1, 0], [0.1, 1]]);
    const plain = clipContrastiveLoss(a, b, 10).dataSync()[0]!;
    const distinct = clipContrastiveLoss(a, b, 10, tf.tensor1d([0, 1, 2], 'int32')).dataSync()[0]!;
    expect(distinct).toBeCloseTo(plain, 6);
    // Rows 0 and 1 are the same item: the loss no longer pushes them apart, so it drops.
    const grouped = clipContrastiveLoss(a, b, 10, tf.tensor1d([0, 0, 2], 'int32')).dataSync()[0]!;
    expect(grouped).toBeLessThan(plain);
    // Hand-computed: row 0's target is [0.5, 0.5, 0] over the row's log-softmax.
    const logits = tf.matMul(tf.div(a, tf.norm(a, 'euclidean', 1, true)), tf.div(b, tf.norm(b, 'euclidean', 1, true)), false, true).mul(10);
    const t = tf.tensor2d([[0.5, 0.5, 0], [0.5, 0.5, 0], [0, 0, 1]]);
    const expected = tf.logSoftmax(logits, 1).mul(t).sum().neg().div(3).add(tf.logSoftmax(logits.transpose(), 1).mul(t).sum().neg().div(3)).div(2).dataSync()[0]!;
    expect(grouped).toBeCloseTo(expected, 5);
    expect(() => clipContrastiveLoss(a, b, 10, tf.tensor1d([0, 1], 'int32'))).toThrow(/groups must have shape \[3\]/);
  });
});
