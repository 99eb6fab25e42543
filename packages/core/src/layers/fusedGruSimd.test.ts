import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../index.js';
import { computeOn, maxRelativeDifference, randomValues } from '../testing/backendParity.js';
import { jsKernelsEnvVar, simdKernelsFor } from '../backend/wasm-gradients/simdKernels.js';
import { fusedGruOp } from './fusedGru.js';

type Case = { batch: number; steps: number; inputDim: number; units: number; returnSequences: boolean; goBackwards: boolean; timeOrder?: boolean; masked?: boolean };

/** The GRU's output and its gradients for x and all four weights, flattened into one tensor. */
function outputsAndGradients(c: Case): () => tf.Tensor {
  const { batch, steps, inputDim, units } = c;
  const gates = 3 * units;
  // Padding at the end of row 0 and at the start of row 1, like maskZero after an Embedding.
  const mask = c.masked ? Array.from({ length: batch * steps }, (_, i) => Number(!((i < steps && i >= steps - 2) || (i >= steps && i < steps + 2)))) : undefined;
  return () => {
    const inputs = [
      tf.tensor(randomValues(batch * steps * inputDim, 41), [batch, steps, inputDim]),
      tf.tensor(randomValues(inputDim * gates, 42), [inputDim, gates]).mul(0.4),
      tf.tensor(randomValues(units * gates, 43), [units, gates]).mul(0.3),
      tf.tensor(randomValues(gates, 44), [gates]).mul(0.1),
      tf.tensor(randomValues(gates, 45), [gates]).mul(0.1),
    ];
    const run = (x: tf.Tensor, w: tf.Tensor, u: tf.Tensor, bi: tf.Tensor, bh: tf.Tensor) =>
      fusedGruOp(x, w, u, bi, bh, { mask, returnSequences: c.returnSequences, goBackwards: c.goBackwards, timeOrder: c.timeOrder });
    const y = run(inputs[0]!, inputs[1]!, inputs[2]!, inputs[3]!, inputs[4]!);
    const cotangent = tf.tensor(randomValues(y.size, 46), y.shape);
    const grads = tf.grads(run)(inputs, cotangent);
    return tf.concat([y, ...grads].map((t) => t.flatten()));
  };
}

describe('FusedGru with the compiled SIMD kernels (wasm, units in fours)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });
  afterEach(() => {
    delete process.env[jsKernelsEnvVar];
  });

  it.each<Case>([
    { batch: 5, steps: 7, inputDim: 3, units: 12, returnSequences: false, goBackwards: false },
    { batch: 5, steps: 7, inputDim: 3, units: 12, returnSequences: true, goBackwards: false, masked: true },
    { batch: 4, steps: 6, inputDim: 5, units: 8, returnSequences: true, goBackwards: true, masked: true },
    { batch: 4, steps: 6, inputDim: 5, units: 8, returnSequences: true, goBackwards: true, timeOrder: true },
    { batch: 3, steps: 4, inputDim: 2, units: 4, returnSequences: false, goBackwards: true, masked: true },
    { batch: 64, steps: 8, inputDim: 64, units: 64, returnSequences: false, goBackwards: false },
  ])('gives the JavaScript path’s output and gradients (within 2e-5) for %o', async (c) => {
    await tf.setBackend('wasm');
    expect(simdKernelsFor(tf.backend(), 'FusedGru')).toBeDefined();
    const compute = outputsAndGradients(c);
    const simd = await computeOn('wasm', compute);
    process.env[jsKernelsEnvVar] = 'FusedGru';
    const js = await computeOn('wasm', compute);
    expect(simd.values.length).toBe(js.values.length);
    // Not identical: the kernels' exp is a polynomial (2 ulp), the JavaScript path's Math.exp runs in doubles.
    expect(maxRelativeDifference(simd.values, js.values)).toBeLessThan(2e-5);
    expect(maxRelativeDifference(simd.values, js.values)).toBeGreaterThan(0); // two implementations really ran
  });

  it('frees every tensor it makes, in training and in inference', async () => {
    await tf.setBackend('wasm');
    const compute = outputsAndGradients({ batch: 4, steps: 5, inputDim: 3, units: 8, returnSequences: true, goBackwards: false, masked: true });
    const before = tf.memory().numTensors;
    tf.tidy(compute).dispose();
    const inference = tf.tidy(() => fusedGruOp(tf.ones([2, 3, 4]), tf.ones([4, 24]), tf.ones([8, 24]), tf.zeros([24]), tf.zeros([24]), { returnSequences: false, goBackwards: false }));
    expect(inference.shape).toEqual([2, 8]);
    inference.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
