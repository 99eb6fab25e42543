import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../../index.js';
import { computeOn, randomValues } from '../../testing/backendParity.js';
import { jsKernelsEnvVar } from './simdKernels.js';

describe('ReLU’s gradient with the compiled kernel', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  it('gives tfjs-core’s dy · step(x) to the bit, NaN and signed zeros included', async () => {
    const xValues = randomValues(1003, 61);
    const dyValues = randomValues(1003, 62);
    xValues.set([0, -0, Number.NaN, Infinity, -Infinity, 1e-40, -1e-40], 0);
    dyValues.set([-1, -1, 2, -3, -4, -5, -6], 0);
    const compute = () => tf.grad((x: tf.Tensor) => tf.relu(x))(tf.tensor1d(xValues), tf.tensor1d(dyValues));
    const compiled = await computeOn('wasm', compute);
    process.env[jsKernelsEnvVar] = 'Relu';
    const ops = await computeOn('wasm', compute);
    delete process.env[jsKernelsEnvVar];
    const cpu = await computeOn('cpu', compute);
    const bits = (values: readonly number[]) => Array.from(new Uint32Array(Float32Array.from(values).buffer));
    expect(bits(compiled.values)).toEqual(bits(ops.values));
    expect(bits(compiled.values)).toEqual(bits(cpu.values));
    expect(Object.is(compiled.values[0], -0)).toBe(true);
    expect(compiled.values[2]).toBeNaN();
  });
});
