import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../index.js';
import { computeOn, maxRelativeDifference, randomValues } from '../testing/backendParity.js';
import { jsKernelsEnvVar, simdKernelsFor } from '../backend/wasm-gradients/simdKernels.js';
import { fusedLstmOp } from './fusedLstm.js';

type Case = {
  batch: number;
  steps: number;
  inputDim: number;
  units: number;
  returnSequences: boolean;
  goBackwards: boolean;
  timeOrder?: boolean;
  masked?: boolean;
  initialState?: boolean;
};

/** The LSTM's output and its gradients for x, all four weights (and h0, c0), flattened into one tensor. */
function outputsAndGradients(c: Case): () => tf.Tensor {
  const { batch, steps, inputDim, units } = c;
  const gates = 4 * units;
  // Padding at the end of row 0 and at the start of row 1, like maskZero after an Embedding.
  const mask = c.masked ? Array.from({ length: batch * steps }, (_, i) => Number(!((i < steps && i >= steps - 2) || (i >= steps && i < steps + 2)))) : undefined;
  return () => {
    const inputs = [
      tf.tensor(randomValues(batch * steps * inputDim, 41), [batch, steps, inputDim]),
      tf.tensor(randomValues(inputDim * gates, 42), [inputDim, gates]).mul(0.4),
      tf.tensor(randomValues(units * gates, 43), [units, gates]).mul(0.3),
      tf.tensor(randomValues(gates, 44), [gates]).mul(0.1),
      tf.tensor(randomValues(gates, 45), [gates]).mul(0.1),
      ...(c.initialState ? [tf.tensor(randomValues(batch * units, 47), [batch, units]).mul(0.5), tf.tensor(randomValues(batch * units, 48), [batch, units])] : []),
    ];
    const run = (x: tf.Tensor, w: tf.Tensor, u: tf.Tensor, bi: tf.Tensor, bh: tf.Tensor, h0?: tf.Tensor, c0?: tf.Tensor) =>
      fusedLstmOp(x, w, u, bi, bh, { mask, initialState: h0 && c0 ? [h0, c0] : undefined, returnSequences: c.returnSequences, goBackwards: c.goBackwards, timeOrder: c.timeOrder });
    const y = run(...(inputs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor?, tf.Tensor?]));
    const cotangent = tf.tensor(randomValues(y.size, 46), y.shape);
    const grads = tf.grads(run as (...t: tf.Tensor[]) => tf.Tensor)(inputs, cotangent);
    expect(grads).toHaveLength(inputs.length);
    return tf.concat([y, ...grads].map((t) => t.flatten()));
  };
}

describe('FusedLstm with the compiled SIMD kernels (wasm, units in fours)', () => {
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
    { batch: 6, steps: 5, inputDim: 7, units: 16, returnSequences: true, goBackwards: false, masked: true, initialState: true },
    { batch: 3, steps: 6, inputDim: 4, units: 8, returnSequences: false, goBackwards: true, initialState: true },
    { batch: 64, steps: 8, inputDim: 64, units: 64, returnSequences: false, goBackwards: false },
    { batch: 32, steps: 12, inputDim: 48, units: 32, returnSequences: true, goBackwards: false, masked: true, initialState: true },
  ])('gives the JavaScript path’s output and gradients (within 2e-5) for %o', async (c) => {
    await tf.setBackend('wasm');
    expect(simdKernelsFor(tf.backend(), 'FusedLstm')).toBeDefined();
    const compute = outputsAndGradients(c);
    const simd = await computeOn('wasm', compute);
    process.env[jsKernelsEnvVar] = 'FusedLstm';
    const js = await computeOn('wasm', compute);
    expect(simd.values.length).toBe(js.values.length);
    // Not identical: the kernels' exp is a polynomial (2 ulp), the JavaScript path's Math.exp runs in doubles.
    expect(maxRelativeDifference(simd.values, js.values)).toBeLessThan(2e-5);
    expect(maxRelativeDifference(simd.values, js.values)).toBeGreaterThan(0); // two implementations really ran
  });

  it('frees every tensor it makes, in training and in inference', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    for (const initialState of [false, true]) {
      const compute = outputsAndGradients({ batch: 4, steps: 5, inputDim: 3, units: 8, returnSequences: true, goBackwards: false, masked: true, initialState });
      tf.tidy(compute).dispose();
    }
    const inference = tf.tidy(() => fusedLstmOp(tf.ones([2, 3, 4]), tf.ones([4, 32]), tf.ones([8, 32]), tf.zeros([32]), tf.zeros([32]), { returnSequences: false, goBackwards: false }));
    expect(inference.shape).toEqual([2, 8]);
    inference.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
