import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registry, ConfigError, InputError } from '@polyfuse/core';
import { StaticWeighting, type WeightingStrategy } from '../index.js';

describe('weighting/static', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('gives w_image ∇L_image + w_text ∇L_text and reports the weights', () => {
    const w = tf.variable(tf.tensor1d([0.5, -2, 3]), true, 'static_test_w');
    const strategy = registry.create<WeightingStrategy>('weighting', 'static', { weights: { image: 1, text: 0.5 } });
    const terms = {
      image: () => w.sub(1).square().sum() as tf.Scalar, // ∇ = 2(w − 1)
      text: () => w.add(1).square().sum() as tf.Scalar, // ∇ = 2(w + 1)
    };
    const result = strategy.computeGradients(terms, { variables: [w], step: 0, epoch: 0 });
    const expected = [0.5, -2, 3].map((x) => 2 * (x - 1) + 0.5 * 2 * (x + 1));
    Array.from(result.grads[w.name].dataSync()).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 4));
    expect(result.losses.image).toBeCloseTo(0.25 + 9 + 4, 4);
    expect(result.losses.text).toBeCloseTo(2.25 + 1 + 16, 4);
    expect(result.weights).toEqual({ image: 1, text: 0.5 });
    expect(result.total).toBeCloseTo(13.25 + 0.5 * 19.25, 3);
    tf.dispose(Object.values(result.grads));
    w.dispose();
  });

  it('gives unnamed terms the default weight and is leak-free', () => {
    const w = tf.variable(tf.ones([4]), true, 'static_test_leak');
    const strategy = new StaticWeighting({ defaultWeight: 2 });
    const terms = { a: () => w.square().sum() as tf.Scalar };
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const { grads, weights } = strategy.computeGradients(terms, { variables: [w], step: i, epoch: 0 });
      expect(weights.a).toBe(2);
      expect(Array.from(grads[w.name].dataSync())).toEqual([4, 4, 4, 4]);
      tf.dispose(Object.values(grads));
    }
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });

  it('rejects negative weights, typos in term names, NaN losses and unknown strategies', () => {
    expect(() => registry.create('weighting', 'static', { weights: { image: -1 } })).toThrow(
      /weighting\/static\.weights\.image must be a finite non-negative number/,
    );
    const w = tf.variable(tf.ones([2]), true, 'static_test_bad');
    const typo = new StaticWeighting({ weights: { imgae: 1 } });
    expect(() => typo.computeGradients({ image: () => w.sum() as tf.Scalar }, { variables: [w], step: 0, epoch: 0 })).toThrow(ConfigError);
    const nan = new StaticWeighting();
    const before = tf.memory().numTensors;
    expect(() => nan.computeGradients({ broken: () => w.sub(2).sqrt().sum() as tf.Scalar }, { variables: [w], step: 0, epoch: 0 })).toThrow(
      /loss term 'broken' is NaN/,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(() => nan.computeGradients({}, { variables: [w], step: 0, epoch: 0 })).toThrow(InputError);
    expect(() => registry.create('weighting', 'gradnrom')).toThrow(/Unknown weighting 'gradnrom'.*gradnorm/);
    w.dispose();
  });
});
