import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom, withSeed, deriveSeed, initBackend, tf } from '../index.js';

describe('SeededRandom', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('repeats its sequence for the same seed and differs for another', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const draw = (r: SeededRandom) => Array.from({ length: 5 }, () => r.next());
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('resumes from a saved state', () => {
    const r = new SeededRandom(7);
    r.next();
    const state = r.getState();
    const expected = [r.next(), r.next()];
    const resumed = new SeededRandom(0);
    resumed.setState(state);
    expect([resumed.next(), resumed.next()]).toEqual(expected);
  });

  it('draws normals with the right moments and shuffles as a permutation', () => {
    const r = new SeededRandom(1);
    const xs = Array.from({ length: 20000 }, () => r.normal(2, 3));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(mean).toBeCloseTo(2, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(3, 1);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(deriveSeed(1, 'a')).not.toBe(deriveSeed(1, 'b'));
  });

  it('makes TensorFlow.js initializers reproducible inside withSeed', () => {
    const weights = (layer: tf.layers.Layer) => {
      const model = tf.sequential({ layers: [layer] });
      return Array.from(model.getWeights()[0].dataSync());
    };
    // Layers create their weights when the model is built, so build inside the seeded scope.
    const a = withSeed(5, () => weights(tf.layers.dense({ units: 3, inputShape: [4] })));
    const b = withSeed(5, () => weights(tf.layers.dense({ units: 3, inputShape: [4] })));
    expect(a).toEqual(b);
    expect(withSeed(6, () => weights(tf.layers.dense({ units: 3, inputShape: [4] })))).not.toEqual(a);
    const original = Math.random;
    withSeed(1, () => undefined);
    expect(Math.random).toBe(original);
  });
});
