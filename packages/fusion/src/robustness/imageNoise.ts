import { tf, InputError, type SeededRandom } from '@polyfuse/core';
import { checkLevel, normals } from './noiseInjector.js';

function requireImages(x: tf.Tensor, name: string): void {
  if (x.rank !== 4) throw new InputError(`${name} expects images [B, H, W, C]; got rank ${x.rank}.`);
}

/**
 * Additive Gaussian noise, `x + N(0, (level · scale)²)`, for images in
 * [0, `scale`] (default 1); the result is clipped back to [0, scale].
 */
export function imageGaussianNoise(x: tf.Tensor, level: number, random: SeededRandom, options: { scale?: number } = {}): tf.Tensor {
  checkLevel(level, 'imageGaussianNoise');
  requireImages(x, 'imageGaussianNoise');
  const scale = options.scale ?? 1;
  return tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(tf.tensor(normals(x.size, random), x.shape), level * scale)), 0, scale));
}

/**
 * Gaussian blur with standard deviation `level · maxSigma` pixels (default
 * maxSigma 3), kernel radius `ceil(3σ)`, 'same' padding with zeros, applied
 * per channel. Uses no randomness.
 */
export function imageBlur(x: tf.Tensor, level: number, _random?: SeededRandom, options: { maxSigma?: number } = {}): tf.Tensor {
  checkLevel(level, 'imageBlur');
  requireImages(x, 'imageBlur');
  const sigma = level * (options.maxSigma ?? 3);
  if (sigma < 1e-3) return tf.clone(x);
  const radius = Math.ceil(3 * sigma);
  const taps = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = taps.reduce((a, b) => a + b, 0);
  const kernel1d = taps.map((t) => t / total);
  const channels = x.shape[3]!;
  return tf.tidy(() => {
    const horizontal = tf.tile(tf.tensor4d(kernel1d, [1, kernel1d.length, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
    const vertical = tf.tile(tf.tensor4d(kernel1d, [kernel1d.length, 1, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
    const once = tf.depthwiseConv2d(x as tf.Tensor4D, horizontal, 1, 'same');
    return tf.depthwiseConv2d(once, vertical, 1, 'same');
  });
}

/**
 * Occlusion: a square of side `round(level · min(H, W))` set to `fill`
 * (default 0), at a uniformly random position per image.
 */
export function imageOcclusion(x: tf.Tensor, level: number, random: SeededRandom, options: { fill?: number } = {}): tf.Tensor {
  checkLevel(level, 'imageOcclusion');
  requireImages(x, 'imageOcclusion');
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const side = Math.round(level * Math.min(h, w));
  const keep = new Float32Array(b * h * w).fill(1);
  for (let n = 0; n < b; n++) {
    if (side === 0) continue;
    const top = random.int(h - side + 1);
    const left = random.int(w - side + 1);
    for (let i = top; i < top + side; i++) for (let j = left; j < left + side; j++) keep[(n * h + i) * w + j] = 0;
  }
  const fill = options.fill ?? 0;
  return tf.tidy(() => {
    const k = tf.tile(tf.tensor4d(keep, [b, h, w, 1]), [1, 1, 1, c]);
    return tf.add(tf.mul(x, k), tf.mul(tf.sub(1, k), fill));
  });
}

/**
 * Contrast reduction: each image moves towards its own mean by `level`,
 * `mean + (1 - level)(x - mean)` (level 1 gives a flat image). No randomness.
 */
export function imageContrast(x: tf.Tensor, level: number): tf.Tensor {
  checkLevel(level, 'imageContrast');
  requireImages(x, 'imageContrast');
  return tf.tidy(() => {
    const mean = tf.mean(x, [1, 2, 3], true);
    return tf.add(mean, tf.mul(tf.sub(x, mean), 1 - level));
  });
}
