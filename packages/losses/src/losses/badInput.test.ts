import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, ConfigError, InputError } from '@polyfuse/core';
import {
  bceWithLogitsLoss,
  cosineEmbeddingLoss,
  crossEntropyLoss,
  huberLoss,
  klDivLoss,
  mseLoss,
  nllLoss,
  sequenceCrossEntropy,
  sigmoidFocalLoss,
  tripletMarginLoss,
} from '../index.js';

describe('losses reject bad input with errors that name the argument', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('shape mismatches', () => {
    const a = tf.zeros([4, 1]);
    const b = tf.zeros([4]);
    expect(() => mseLoss(a, b)).toThrow(/mseLoss: target must have the same shape as mseLoss: input \(\[4, 1\]\), got \[4\]/);
    expect(() => crossEntropyLoss(tf.zeros([2, 3]), tf.zeros([3], 'int32'))).toThrow(
      /crossEntropyLoss: target must have shape \[2\]/,
    );
    expect(() => cosineEmbeddingLoss(tf.zeros([2, 3]), tf.zeros([2, 3]), tf.ones([3]))).toThrow(/y must have shape \[2\]/);
    expect(() => tripletMarginLoss(tf.zeros([2, 3]), tf.zeros([2, 3]), tf.zeros([2, 4]))).toThrow(/negative/);
    expect(() => sequenceCrossEntropy(tf.zeros([2, 3, 5]), tf.zeros([2, 4], 'int32'))).toThrow(/targets must have shape \[2, 3\]/);
    expect(() => bceWithLogitsLoss(tf.zeros([2, 3]), tf.zeros([2, 3]), { posWeight: [1, 2] })).toThrow(
      /options\.posWeight of shape \[2\] does not broadcast/,
    );
  });

  it('class indices out of range, non-integer targets and bad labels', () => {
    const logits = tf.zeros([3, 4]);
    expect(() => crossEntropyLoss(logits, tf.tensor1d([0, 4, 1], 'int32'))).toThrow(
      /crossEntropyLoss: target holds class index 4 at flat index 1; expected 0\.\.3 or the ignore index -100/,
    );
    expect(() => nllLoss(logits, tf.tensor1d([0, -1, 1], 'int32'))).toThrow(InputError);
    expect(() => crossEntropyLoss(logits, tf.tensor1d([0, 1.5, 1]))).toThrow(/integer class indices/);
    expect(() => cosineEmbeddingLoss(tf.ones([2, 2]), tf.ones([2, 2]), tf.tensor1d([1, 0]))).toThrow(/y must hold 1 or -1/);
    expect(() => sequenceCrossEntropy(tf.zeros([1, 2, 3]), tf.tensor2d([[1, 7]], [1, 2], 'int32'))).toThrow(/token|class index 7/);
  });

  it('negative weights, bad options and reductions', () => {
    const logits = tf.zeros([2, 3]);
    const target = tf.tensor1d([0, 1], 'int32');
    expect(() => crossEntropyLoss(logits, target, { weight: [1, -1, 1] })).toThrow(
      /crossEntropyLoss: options\.weight must hold finite non-negative values, got -1 at flat index 1/,
    );
    expect(() => crossEntropyLoss(logits, target, { weight: [1, 1] })).toThrow(/options\.weight must have shape \[3\]/);
    expect(() => bceWithLogitsLoss(logits, tf.zeros([2, 3]), { weight: [1, Number.NaN, 1] })).toThrow(ConfigError);
    expect(() => crossEntropyLoss(logits, target, { labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be <= 1/);
    expect(() => mseLoss(logits, logits, { reduction: 'avg' as 'mean' })).toThrow(
      /mseLoss: options\.reduction must be one of 'mean', 'sum', 'none', got "avg"/,
    );
    expect(() => klDivLoss(logits, logits, { reduction: 'batchmeans' as 'batchmean' })).toThrow(/klDivLoss: options\.reduction/);
    expect(() => huberLoss(logits, logits, { delta: 0 })).toThrow(/delta must be > 0/);
    expect(() => sigmoidFocalLoss(logits, logits, { gamma: -1 })).toThrow(/gamma must be >= 0/);
    expect(() => mseLoss([1, 2] as unknown as tf.Tensor, logits)).toThrow(/mseLoss: input must be a tf\.Tensor, got an array/);
    expect(() => mseLoss(tf.zeros([2], 'int32'), tf.zeros([2], 'int32'))).toThrow(/must be a float32 tensor/);
  });

  it('frees the tensors it made when it throws', () => {
    const logits = tf.zeros([2, 3]);
    const target = tf.tensor1d([0, 1]);
    const before = tf.memory().numTensors;
    expect(() => crossEntropyLoss(logits, target, { weight: [1, -1, 1] })).toThrow();
    expect(() => bceWithLogitsLoss(logits, tf.zeros([2, 3]), { weight: [1, 1, 1], posWeight: [1, -1, 1] })).toThrow();
    expect(() => bceWithLogitsLoss(logits, tf.zeros([2, 3]), { weight: [1, 1, 1], posWeight: [1, Number.NaN, 1] })).toThrow();
    expect(tf.memory().numTensors).toBe(before + 2); // the two tf.zeros made in the calls above
  });
});

describe('numerical stability', () => {
  it('gives finite values and gradients for logits of magnitude 1000 and all-ignored sequences', () => {
    const logits = tf.tensor2d([[1000, -1000, 0], [-1000, 1000, 3]]);
    const target = tf.tensor1d([1, 0], 'int32');
    const [g] = tf.grads((x: tf.Tensor) => crossEntropyLoss(x, target, { labelSmoothing: 0.1 }))([logits]);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    const binary = tf.grad((x: tf.Tensor) => sigmoidFocalLoss(x, tf.tensor2d([[0, 1, 1], [1, 0, 0]]), { reduction: 'sum' }))(logits);
    expect(Array.from(binary.dataSync()).every(Number.isFinite)).toBe(true);
    const sharp = tf.grad((x: tf.Tensor) =>
      sigmoidFocalLoss(x, tf.tensor2d([[1, 0, 1], [0, 1, 1]]), { gamma: 0.5, reduction: 'sum' }),
    )(logits);
    expect(Array.from(sharp.dataSync()).every(Number.isFinite)).toBe(true);
    const padded = sequenceCrossEntropy(tf.zeros([1, 2, 3]), tf.zeros([1, 2], 'int32'), { padId: 0 });
    expect(padded.dataSync()[0]).toBe(0);
  });
});
