import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../../index.js';
import { computeOn, maxRelativeDifference, randomValues } from '../../testing/backendParity.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

describe('faster wasm kernels that replace the backend’s own', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  const convCases: { x: [number, number, number, number]; filter: [number, number, number, number]; strides: number | [number, number]; pad: Pad; dataFormat?: 'NHWC' | 'NCHW' }[] = [
    { x: [1, 5, 5, 1], filter: [3, 3, 1, 1], strides: 1, pad: 'same' },
    { x: [2, 8, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
    { x: [3, 9, 9, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' },
    { x: [2, 10, 11, 2], filter: [3, 2, 2, 3], strides: [2, 3], pad: 'valid' },
    { x: [2, 8, 8, 3], filter: [4, 4, 3, 2], strides: 2, pad: 'same' },
    { x: [2, 7, 8, 3], filter: [5, 5, 3, 2], strides: 3, pad: 'same' },
    { x: [2, 6, 7, 2], filter: [3, 3, 2, 3], strides: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
    // padding wider than the filter: the gradient's window crops instead of padding
    { x: [2, 6, 7, 2], filter: [3, 3, 2, 3], strides: 1, pad: [[0, 0], [3, 0], [0, 4], [0, 0]] },
    { x: [2, 3, 6, 5], filter: [2, 3, 3, 4], strides: 1, pad: 'same', dataFormat: 'NCHW' },
    { x: [4, 20, 16, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'same' },
  ];

  it.each(convCases)('Conv2DBackpropInput matches cpu for x=$x filter=$filter strides=$strides pad=$pad $dataFormat', async (c) => {
    const dataFormat = c.dataFormat ?? 'NHWC';
    const nhwc: [number, number, number, number] = dataFormat === 'NHWC' ? c.x : [c.x[0], c.x[2], c.x[3], c.x[1]];
    const pad = typeof c.pad === 'string' || dataFormat === 'NHWC' ? c.pad : [c.pad[0], c.pad[3], c.pad[1], c.pad[2]];
    const info = tf.backend_util.computeConv2DInfo(nhwc, c.filter, c.strides, 1, c.pad as 'same');
    const dyShape = dataFormat === 'NHWC' ? [nhwc[0], info.outHeight, info.outWidth, info.outChannels] : [nhwc[0], info.outChannels, info.outHeight, info.outWidth];
    const dy = randomValues(size(dyShape), 21);
    const filter = randomValues(size(c.filter), 22);
    const compute = () =>
      tf.engine().runKernel(
        'Conv2DBackpropInput',
        { dy: tf.tensor(dy, dyShape), filter: tf.tensor(filter, c.filter) },
        { strides: c.strides, pad, dataFormat, inputShape: c.x } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor;
    const cpu = await computeOn('cpu', compute);
    const wasm = await computeOn('wasm', compute);
    expect(wasm.shape).toEqual(c.x);
    expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-4);
  });

  it.each([
    { a: [64, 96], b: [64, 10], transposeA: true, transposeB: false },
    { a: [10, 64], b: [96, 64], transposeA: false, transposeB: true },
    { a: [64, 12], b: [7, 64], transposeA: true, transposeB: true },
    { a: [3, 8, 5], b: [3, 8, 4], transposeA: true, transposeB: false },
    { a: [2, 6, 5], b: [2, 4, 5], transposeA: false, transposeB: true },
    { a: [5, 6], b: [6, 4], transposeA: false, transposeB: false },
  ])('BatchMatMul matches cpu for a=$a b=$b transposeA=$transposeA transposeB=$transposeB', async ({ a, b, transposeA, transposeB }) => {
    const aValues = randomValues(size(a), 23);
    const bValues = randomValues(size(b), 24);
    const compute = () => tf.matMul(tf.tensor(aValues, a), tf.tensor(bValues, b), transposeA, transposeB);
    const cpu = await computeOn('cpu', compute);
    const wasm = await computeOn('wasm', compute);
    expect(wasm.shape).toEqual(cpu.shape);
    expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-5);
  });

  it.each([
    { x: [2, 8, 6, 3], filterSize: 2, strides: 2, pad: 'valid' },
    { x: [2, 9, 7, 3], filterSize: 2, strides: 2, pad: 'valid' },
    { x: [2, 9, 7, 3], filterSize: 2, strides: 2, pad: 'same' },
    { x: [1, 7, 7, 2], filterSize: 3, strides: 1, pad: 'same' },
    { x: [2, 10, 9, 4], filterSize: [3, 2], strides: [2, 1], pad: 'valid' },
    { x: [3, 6, 8, 5], filterSize: 3, strides: 2, pad: 'same' },
  ] as const)('MaxPoolGrad matches cpu for x=$x filterSize=$filterSize strides=$strides pad=$pad', async (c) => {
    // Rounded values make ties, so the tie rule (first strictly largest) is checked too.
    const x = Float32Array.from(randomValues(size(c.x), 25), (v) => Math.round(v * 3));
    const pool = (v: tf.Tensor) => tf.maxPool(v as tf.Tensor4D, c.filterSize as [number, number], c.strides as [number, number], c.pad);
    // Weighting each output differently makes each window's gradient distinct.
    const compute = () =>
      tf.tidy(() => {
        const input = tf.tensor(x, [...c.x]);
        const weights = tf.range(1, 1 + size(pool(input).shape)).reshape(pool(input).shape);
        return tf.grads((v: tf.Tensor) => pool(v).mul(weights).sum())([input])[0]!;
      });
    const cpu = await computeOn('cpu', compute);
    const wasm = await computeOn('wasm', compute);
    expect(wasm.shape).toEqual(c.x);
    expect(wasm.values).toEqual(cpu.values);
  });

  it('MaxPoolGrad passes no gradient out of a window of NaN or -Infinity, like TensorFlow', async () => {
    // Left window: NaN, -Infinity, -Infinity, NaN; right window: 1, 2, 3, 4.
    const compute = () =>
      tf.tidy(() => {
        const x = tf.tensor4d([NaN, -Infinity, 1, 2, -Infinity, NaN, 3, 4], [1, 2, 4, 1]);
        const dy = tf.tensor4d([10, 20], [1, 1, 2, 1]);
        return tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: tf.maxPool(x, 2, 2, 'valid') }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor;
      });
    const wasm = await computeOn('wasm', compute);
    expect(wasm.values).toEqual([0, 0, 0, 0, 0, 0, 0, 20]);
    expect((await computeOn('cpu', compute)).values).toEqual(wasm.values);
  });

  it.each([
    { shape: [1, 1, 1, 16], reps: [64, 40, 32, 1], dtype: 'float32' },
    { shape: [2, 3], reps: [3, 2], dtype: 'float32' },
    { shape: [4, 1, 5], reps: [1, 3, 2], dtype: 'int32' },
    { shape: [3, 20], reps: [2, 1], dtype: 'float32' },
    { shape: [5], reps: [4], dtype: 'bool' },
    { shape: [2, 2], reps: [1, 1], dtype: 'float32' },
    { shape: [2, 0, 3], reps: [2, 2, 2], dtype: 'float32' },
  ] as const)('Tile matches cpu for shape=$shape reps=$reps $dtype', async ({ shape, reps, dtype }) => {
    const values = Array.from(randomValues(Math.max(1, size(shape)), 26)).slice(0, size(shape)).map((v) => (dtype === 'float32' ? v : dtype === 'bool' ? Number(v > 0) : Math.round(v * 10)));
    const compute = () => tf.tile(tf.tensor(values, [...shape], dtype), [...reps]);
    const cpu = await computeOn('cpu', compute);
    const wasm = await computeOn('wasm', compute);
    expect(wasm.shape).toEqual(cpu.shape);
    expect(wasm.values).toEqual(cpu.values);
  });

  it.each([
    { shape: [2560, 64], perm: [1, 0], dtype: 'float32' },
    { shape: [33, 70], perm: [1, 0], dtype: 'int32' },
    { shape: [3, 5, 40, 7], perm: [0, 1, 3, 2], dtype: 'float32' },
    { shape: [4, 6, 5], perm: [2, 1, 0], dtype: 'float32' },
    { shape: [1, 1], perm: [1, 0], dtype: 'float32' },
    // the identity permutation shares the input's memory
    { shape: [50, 8], perm: [0, 1], dtype: 'float32' },
    { shape: [2, 3, 4], perm: [0, 1, 2], dtype: 'int32' },
  ] as const)('Transpose matches cpu for shape=$shape perm=$perm $dtype', async ({ shape, perm, dtype }) => {
    const values = Array.from(randomValues(size(shape), 28), (v) => (dtype === 'int32' ? Math.round(v * 100) : v));
    const compute = () => tf.engine().runKernel('Transpose', { x: tf.tensor(values, [...shape], dtype) }, { perm: [...perm] }) as tf.Tensor;
    const cpu = await computeOn('cpu', compute);
    const wasm = await computeOn('wasm', compute);
    expect(wasm.shape).toEqual(cpu.shape);
    expect(wasm.values).toEqual(cpu.values);
  });

  it.each([
    { shape: [50, 8], indices: [3, 0, 49, 3, 7], indexShape: [5], dtype: 'float32' },
    { shape: [10, 2, 3], indices: [1, 9, 0, 4], indexShape: [2, 2], dtype: 'int32' },
    { shape: [6], indices: [5, 1], indexShape: [2], dtype: 'float32' },
  ] as const)('GatherV2 of rows matches cpu for x=$shape indices=$indexShape $dtype', async ({ shape, indices, indexShape, dtype }) => {
    const values = Array.from(randomValues(size(shape), 29), (v) => (dtype === 'int32' ? Math.round(v * 100) : v));
    const compute = () => tf.gather(tf.tensor(values, [...shape], dtype), tf.tensor(indices, [...indexShape], 'int32'));
    const cpu = await computeOn('cpu', compute);
    const wasm = await computeOn('wasm', compute);
    expect(wasm.shape).toEqual(cpu.shape);
    expect(wasm.values).toEqual(cpu.values);
    // other axes go to the backend's own kernel
    const columns = () => tf.gather(tf.tensor(values, [...shape], dtype), tf.tensor([0], [1], 'int32'), shape.length - 1);
    expect((await computeOn('wasm', columns)).values).toEqual((await computeOn('cpu', columns)).values);
  });

  it('GatherV2 names an index outside the rows', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    expect(() => tf.tidy(() => tf.gather(tf.ones([4, 2]), tf.tensor1d([1, 4], 'int32')))).toThrow(/index 4 \(at position 1\) is not in \[0, 3\]/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Identity shares its input’s memory: no copy, and each tensor stays readable until both are disposed', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const before = backend.numDataIds();
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const y = tf.engine().runKernel('Identity', { x }) as tf.Tensor;
    expect(backend.numDataIds()).toBe(before + 1);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    y.dispose();
    expect(backend.numDataIds()).toBe(before);
    const strings = tf.tensor(['a', 'b']);
    const copied = tf.engine().runKernel('Identity', { x: strings }) as tf.Tensor;
    expect(copied.arraySync()).toEqual(['a', 'b']);
    tf.dispose([strings, copied]);
  });

  it('frees every intermediate tensor', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    tf.tidy(() => tf.matMul(tf.ones([4, 3]), tf.ones([4, 2]), true)).dispose();
    tf.tidy(() => tf.conv2dTranspose(tf.ones([1, 4, 4, 2]), tf.ones([3, 3, 1, 2]) as tf.Tensor4D, [1, 8, 8, 1], 2, 'same')).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
