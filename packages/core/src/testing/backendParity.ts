import { tf } from '../tf.js';
import { SeededRandom } from '../random/seededRandom.js';
import { jsKernelsEnvVar } from '../backend/wasm-gradients/simdKernels.js';

/** A computed tensor's shape and values, read back to JS so backends can be compared. */
export interface ComputedValues {
  shape: number[];
  values: number[];
}

/**
 * Runs `compute` on the named backend (switching to it first) and reads the
 * result back. Inputs must be created inside `compute`, so each backend gets
 * its own copy; everything `compute` allocates is freed.
 */
export async function computeOn(backend: string, compute: () => tf.Tensor): Promise<ComputedValues> {
  if (!(await tf.setBackend(backend))) throw new Error(`Backend '${backend}' did not start.`);
  // The cpu backend prints an advert for tfjs-node on first use; tests do not need it.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  const result = tf.tidy(compute);
  const values = Array.from(await result.data());
  const shape = result.shape.slice();
  result.dispose();
  return { shape, values };
}

/**
 * `compute` on wasm with polyfuse's compiled kernels, then with `kernels`
 * switched back to their previous versions (`POLYFUSE_WASM_JS_KERNELS`;
 * a comma-separated list, or `all`): `[compiled, previous]`.
 */
export async function computeCompiledAndPrevious(compute: () => tf.Tensor, kernels = 'all'): Promise<[ComputedValues, ComputedValues]> {
  const compiled = await computeOn('wasm', compute);
  process.env[jsKernelsEnvVar] = kernels;
  try {
    return [compiled, await computeOn('wasm', compute)];
  } finally {
    delete process.env[jsKernelsEnvVar];
  }
}

/** Largest |a - b| relative to max(1, |b|), elementwise. */
export function maxRelativeDifference(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!));
    if (!(diff <= worst)) worst = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
  }
  return worst;
}

/** Deterministic standard-normal values to build test inputs from. */
export function randomValues(count: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = rng.normal();
  return values;
}
