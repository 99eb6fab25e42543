import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../../index.js';
import { computeCompiledAndPrevious, computeOn, maxRelativeDifference, randomValues } from '../../testing/backendParity.js';
import { jsKernelsEnvVar, simdKernelsFor } from './simdKernels.js';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

describe('Conv2D and FusedConv2D with the compiled SIMD kernel (NHWC, output channels in fours)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });
  afterEach(() => {
    delete process.env[jsKernelsEnvVar];
  });

  it.each<{ x: Shape4; filter: Shape4; strides: number | [number, number]; pad: Pad }>([
    { x: [2, 8, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
    { x: [3, 9, 9, 2], filter: [3, 3, 2, 20], strides: 2, pad: 'same' },
    { x: [2, 10, 11, 2], filter: [3, 2, 2, 8], strides: [2, 3], pad: 'valid' },
    { x: [2, 7, 8, 3], filter: [5, 5, 3, 48], strides: 3, pad: 'same' },
    { x: [2, 6, 7, 2], filter: [3, 3, 2, 12], strides: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
    // padding wider than the filter, on one side only
    { x: [2, 6, 7, 2], filter: [3, 3, 2, 16], strides: 1, pad: [[0, 0], [3, 0], [0, 4], [0, 0]] },
    { x: [4, 6, 6, 5], filter: [1, 1, 5, 4], strides: 1, pad: 'valid' },
    // valid padding that leaves the last row and column unread
    { x: [2, 8, 9, 4], filter: [2, 2, 4, 8], strides: 3, pad: 'valid' },
    // one input channel, and widths that leave 1 to 3 pixels after the blocks
    { x: [3, 28, 28, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'same' },
    { x: [2, 40, 31, 1], filter: [3, 3, 1, 24], strides: 1, pad: 'same' },
    { x: [2, 5, 13, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'same' },
    // W1's layers
    { x: [2, 20, 16, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'same' },
    { x: [2, 14, 14, 32], filter: [3, 3, 32, 16], strides: 1, pad: 'same' },
  ])('matches XNNPACK and cpu for x=$x filter=$filter strides=$strides pad=$pad', async (c) => {
    const xValues = randomValues(size(c.x), 41);
    const filterValues = randomValues(size(c.filter), 42);
    const compute = () => tf.conv2d(tf.tensor4d(xValues, c.x), tf.tensor4d(filterValues, c.filter), c.strides, c.pad);
    await tf.setBackend('wasm');
    expect(simdKernelsFor(tf.backend(), 'Conv2D')).toBeDefined();
    const [compiled, xnnpack] = await computeCompiledAndPrevious(compute, 'Conv2D');
    const cpu = await computeOn('cpu', compute);
    expect(compiled.shape).toEqual(cpu.shape);
    expect(maxRelativeDifference(compiled.values, cpu.values)).toBeLessThan(1e-5);
    expect(maxRelativeDifference(compiled.values, xnnpack.values)).toBeLessThan(1e-5);
  });

  it.each<{ name: string; x: Shape4; filter: Shape4; dilations?: number; dataFormat?: 'NHWC' | 'NCHW' }>([
    { name: 'output channels not in fours', x: [2, 6, 6, 3], filter: [3, 3, 3, 5] },
    { name: 'a dilated filter', x: [2, 9, 9, 3], filter: [3, 3, 3, 8], dilations: 2 },
  ])('leaves $name to the backend, with the same values as cpu', async (c) => {
    const xValues = randomValues(size(c.x), 43);
    const filterValues = randomValues(size(c.filter), 44);
    const compute = () => tf.conv2d(tf.tensor4d(xValues, c.x), tf.tensor4d(filterValues, c.filter), 1, 'same', 'NHWC', c.dilations ?? 1);
    const wasm = await computeOn('wasm', compute);
    const cpu = await computeOn('cpu', compute);
    expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-5);
  });

  it.each<{ activation: 'linear' | 'relu' | 'elu'; bias: boolean }>([
    { activation: 'relu', bias: true },
    { activation: 'linear', bias: true },
    { activation: 'relu', bias: false },
    { activation: 'elu', bias: true }, // the backend's kernel
  ])('fused: bias=$bias activation=$activation matches cpu', async ({ activation, bias }) => {
    const x: Shape4 = [3, 12, 10, 8];
    const filter: Shape4 = [3, 3, 8, 16];
    const xValues = randomValues(size(x), 45);
    const filterValues = randomValues(size(filter), 46);
    const biasValues = randomValues(16, 47);
    const compute = () =>
      tf.fused.conv2d({
        x: tf.tensor4d(xValues, x),
        filter: tf.tensor4d(filterValues, filter),
        strides: 1,
        pad: 'same',
        bias: bias ? tf.tensor1d(biasValues) : undefined,
        activation,
      });
    const [compiled, xnnpack] = await computeCompiledAndPrevious(compute, 'Conv2D');
    const cpu = await computeOn('cpu', compute);
    expect(maxRelativeDifference(compiled.values, cpu.values)).toBeLessThan(1e-5);
    expect(maxRelativeDifference(compiled.values, xnnpack.values)).toBeLessThan(1e-5);
    if (activation === 'relu') expect(Math.min(...compiled.values)).toBe(0);
  });

  it('gives the same gradients as XNNPACK through a conv, bias and ReLU', async () => {
    const x: Shape4 = [4, 9, 8, 3];
    const filter: Shape4 = [3, 3, 3, 8];
    const xValues = randomValues(size(x), 48);
    const filterValues = randomValues(size(filter), 49);
    const gradients = () => {
      const [dx, dw] = tf.grads((xt: tf.Tensor, wt: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 1, 'same')))))([
        tf.tensor4d(xValues, x),
        tf.tensor4d(filterValues, filter),
      ]);
      return tf.concat([tf.reshape(dx!, [-1]), tf.reshape(dw!, [-1])]);
    };
    const [compiled, xnnpack] = await computeCompiledAndPrevious(gradients, 'Conv2D');
    expect(maxRelativeDifference(compiled.values, xnnpack.values)).toBeLessThan(1e-4);
  });

  it('leaves no data on the heap but its result (the padded copy is freed)', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = tf.ones([2, 5, 5, 3]);
    const filter = tf.ones([3, 3, 3, 8]);
    const before = backend.numDataIds();
    const y = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same');
    expect(backend.numDataIds()).toBe(before + 1);
    // The centre pixel sees 9 taps × 3 channels of ones, a corner 4 × 3.
    const values = y.arraySync() as number[][][][];
    expect(values[0]![2]![2]).toEqual(Array(8).fill(27));
    expect(values[1]![0]![0]).toEqual(Array(8).fill(12));
    tf.dispose([x, filter, y]);
  });
});
