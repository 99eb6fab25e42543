import { SeededRandom } from './seededRandom.js';

/**
 * Runs `fn` with `Math.random` replaced by a generator seeded with `seed`.
 *
 * Why: TensorFlow.js initializers and dropout fall back to `Math.random()` for
 * their seed when none is given, and tfjs-layers layers rarely pass one. Building
 * a model (or running a training step) inside `withSeed` makes every weight
 * initialisation and dropout mask reproducible without threading a seed into
 * each layer. `fn` must be synchronous: the original `Math.random` is restored
 * before this returns.
 */
export function withSeed<T>(seed: number, fn: () => T): T {
  const original = Math.random;
  const rng = new SeededRandom(seed);
  Math.random = () => rng.next();
  try {
    const result = fn();
    if (result && typeof (result as { then?: unknown }).then === 'function') {
      throw new Error('withSeed needs a synchronous function: Math.random is restored when it returns.');
    }
    return result;
  } finally {
    Math.random = original;
  }
}
