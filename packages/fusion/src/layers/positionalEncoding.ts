import { tf } from '@polyfuse/core';

/**
 * Sinusoidal positions (Vaswani et al., 2017) `[steps, size]`:
 * `PE[t, 2k] = sin(t / 10000^(2k/size))`, `PE[t, 2k+1] = cos(t / 10000^(2k/size))`.
 */
export function sinusoidalPositions(steps: number, size: number): tf.Tensor2D {
  const values = new Float32Array(steps * size);
  for (let t = 0; t < steps; t++) {
    for (let c = 0; c < size; c++) {
      const angle = t / Math.pow(10000, (2 * Math.floor(c / 2)) / size);
      values[t * size + c] = c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return tf.tensor2d(values, [steps, size]);
}
