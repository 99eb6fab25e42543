import { tf, type SeededRandom } from '@polyfuse/core';
import { checkLevel, normals } from './noiseInjector.js';

/**
 * Additive Gaussian noise scaled to the data: `x + N(0, (level · σ_f)²)` where
 * `σ_f` is the standard deviation of each feature (last axis) over the batch
 * and the other axes, so level 1 adds noise as large as the signal.
 */
export function signalGaussianNoise(x: tf.Tensor, level: number, random: SeededRandom): tf.Tensor {
  checkLevel(level, 'signalGaussianNoise');
  return tf.tidy(() => {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const std = tf.sqrt(tf.moments(x, axes, true).variance);
    return tf.add(x, tf.mul(tf.tensor(normals(x.size, random), x.shape), tf.mul(std, level)));
  });
}

/** Dropped values: each value independently replaced by `fill` (default 0) with probability `level`. */
export function signalDroppedValues(x: tf.Tensor, level: number, random: SeededRandom, options: { fill?: number } = {}): tf.Tensor {
  checkLevel(level, 'signalDroppedValues');
  const keep = new Float32Array(x.size);
  for (let i = 0; i < keep.length; i++) keep[i] = random.next() < level ? 0 : 1;
  const fill = options.fill ?? 0;
  return tf.tidy(() => {
    const k = tf.tensor(keep, x.shape);
    return tf.add(tf.mul(x, k), tf.mul(tf.sub(1, k), fill));
  });
}
