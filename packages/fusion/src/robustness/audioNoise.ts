import { tf, InputError, type SeededRandom } from '@polyfuse/core';
import { checkLevel, normals } from './noiseInjector.js';

/** Signal-to-noise ratio (dB) used at a level: `maxSnrDb · (1 - level)` (default 40 dB at level 0+, 0 dB at level 1). */
export function snrForLevel(level: number, maxSnrDb = 40): number {
  return maxSnrDb * (1 - level);
}

/**
 * White Gaussian noise at a signal-to-noise ratio: per sample, noise power
 * `P_signal / 10^(snrDb / 10)` with `P_signal` the mean square of that
 * sample. Works on waveforms `[B, T]` and on any `[B, ...]` features.
 */
export function whiteNoiseAtSnr(x: tf.Tensor, snrDb: number, random: SeededRandom): tf.Tensor {
  if (!Number.isFinite(snrDb)) throw new InputError(`whiteNoiseAtSnr: snrDb must be a finite number, got ${snrDb}.`);
  return tf.tidy(() => {
    const axes = x.shape.slice(1).map((_, i) => i + 1);
    const power = tf.mean(tf.square(x), axes, true);
    const std = tf.sqrt(tf.div(power, Math.pow(10, snrDb / 10)));
    return tf.add(x, tf.mul(tf.tensor(normals(x.size, random), x.shape), std));
  });
}

/** White noise at the SNR of `snrForLevel(level)`; level 0 returns the input unchanged. */
export function audioWhiteNoise(x: tf.Tensor, level: number, random: SeededRandom, options: { maxSnrDb?: number } = {}): tf.Tensor {
  checkLevel(level, 'audioWhiteNoise');
  if (level === 0) return tf.clone(x);
  return whiteNoiseAtSnr(x, snrForLevel(level, options.maxSnrDb), random);
}

/**
 * Dropped segments: along the time axis (axis 1), segments of
 * `segmentFraction · T` steps (default 0.1, at least 1) are zeroed at random
 * positions until a fraction `level` of the steps is dropped, per sample.
 */
export function audioDroppedSegments(x: tf.Tensor, level: number, random: SeededRandom, options: { segmentFraction?: number } = {}): tf.Tensor {
  checkLevel(level, 'audioDroppedSegments');
  if (x.rank < 2) throw new InputError(`audioDroppedSegments expects [B, T, ...]; got rank ${x.rank}.`);
  const [b, t] = x.shape as [number, number];
  const segment = Math.max(1, Math.round((options.segmentFraction ?? 0.1) * t));
  const target = Math.round(level * t);
  const keep = new Float32Array(b * t).fill(1);
  for (let n = 0; n < b; n++) {
    let dropped = 0;
    while (dropped < target) {
      const start = random.int(t);
      for (let i = start; i < Math.min(t, start + segment) && dropped < target; i++) {
        if (keep[n * t + i] === 1) {
          keep[n * t + i] = 0;
          dropped++;
        }
      }
    }
  }
  return tf.tidy(() => tf.mul(x, tf.reshape(tf.tensor2d(keep, [b, t]), [b, t, ...x.shape.slice(2).map(() => 1)])));
}
