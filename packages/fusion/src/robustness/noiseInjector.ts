import { InputError, type tf, type SeededRandom } from '@polyfuse/core';

/**
 * A seeded noise injector: corrupts a batch `x` at `level` in [0, 1]
 * (0 = unchanged, 1 = the strongest corruption), drawing every random number
 * from `random`, so the same seed gives the same corruption. Returns a new
 * tensor; `x` is not disposed.
 */
export type NoiseInjector = (x: tf.Tensor, level: number, random: SeededRandom) => tf.Tensor;

/** Checks a noise level. */
export function checkLevel(level: number, name: string): void {
  if (!(level >= 0 && level <= 1)) throw new InputError(`${name}: noise level must be in [0, 1], got ${level}.`);
}

/** `count` standard-normal draws. */
export function normals(count: number, random: SeededRandom): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = random.normal();
  return out;
}
