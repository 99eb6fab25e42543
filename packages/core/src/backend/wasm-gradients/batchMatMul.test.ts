import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../../index.js';
import { computeCompiledAndPrevious, computeOn, maxRelativeDifference, randomValues } from '../../testing/backendParity.js';
import { jsKernelsEnvVar } from './simdKernels.js';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

describe('BatchMatMul and _FusedMatMul with the compiled SIMD kernels', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });
  afterEach(() => {
    delete process.env[jsKernelsEnvVar];
  });

  it.each([
    { a: [64, 96], b: [96, 64], transposeA: false, transposeB: false },
    { a: [1, 200], b: [200, 12], transposeA: false, transposeB: false },
    { a: [96, 64], b: [96, 16], transposeA: true, transposeB: false }, // the weight gradient xᵀ·dy
    { a: [33, 7], b: [33, 4], transposeA: true, transposeB: false },
    { a: [200, 24], b: [200, 12], transposeA: true, transposeB: false }, // three chunks of 64 rows and 8 more
    { a: [10, 64], b: [96, 64], transposeA: false, transposeB: true }, // dx = dy·Wᵀ
    { a: [2048, 64], b: [64, 192], transposeA: false, transposeB: false },
    // the backend's cases: columns not in fours, both transposed, a batch of pairs
    { a: [64, 96], b: [64, 10], transposeA: true, transposeB: false },
    { a: [64, 12], b: [8, 64], transposeA: true, transposeB: true },
    { a: [3, 8, 5], b: [3, 5, 8], transposeA: false, transposeB: false },
  ])('matches cpu and the backend for a=$a b=$b transposeA=$transposeA transposeB=$transposeB', async ({ a, b, transposeA, transposeB }) => {
    const aValues = randomValues(size(a), 51);
    const bValues = randomValues(size(b), 52);
    const compute = () => tf.matMul(tf.tensor(aValues, a), tf.tensor(bValues, b), transposeA, transposeB);
    const [compiled, backend] = await computeCompiledAndPrevious(compute, 'BatchMatMul');
    const cpu = await computeOn('cpu', compute);
    expect(compiled.shape).toEqual(cpu.shape);
    expect(maxRelativeDifference(compiled.values, cpu.values)).toBeLessThan(1e-5);
    expect(maxRelativeDifference(compiled.values, backend.values)).toBeLessThan(1e-5);
  });

  it.each<{ activation: 'linear' | 'relu' | 'elu'; bias: boolean; transposeB: boolean; columns: number }>([
    { activation: 'relu', bias: true, transposeB: false, columns: 24 },
    { activation: 'linear', bias: true, transposeB: true, columns: 24 },
    { activation: 'relu', bias: false, transposeB: false, columns: 24 },
    // the backend's kernel; with transposeB and a bias, on B transposed first (the backend's own adds the wrong bias)
    { activation: 'elu', bias: true, transposeB: false, columns: 24 },
    { activation: 'linear', bias: true, transposeB: true, columns: 10 },
    { activation: 'elu', bias: true, transposeB: true, columns: 24 },
  ])('fused: bias=$bias activation=$activation transposeB=$transposeB columns=$columns matches cpu', async ({ activation, bias, transposeB, columns }) => {
    const aValues = randomValues(16 * 40, 53);
    const bValues = randomValues(40 * columns, 54);
    const biasValues = randomValues(columns, 55);
    const compute = () =>
      tf.fused.matMul({
        a: tf.tensor2d(aValues, [16, 40]),
        b: tf.tensor2d(bValues, transposeB ? [columns, 40] : [40, columns]),
        transposeB,
        bias: bias ? tf.tensor1d(biasValues) : undefined,
        activation,
      });
    const [compiled, uncompiled] = await computeCompiledAndPrevious(compute, 'BatchMatMul');
    const cpu = await computeOn('cpu', compute);
    expect(maxRelativeDifference(compiled.values, cpu.values)).toBeLessThan(1e-5);
    expect(maxRelativeDifference(uncompiled.values, cpu.values)).toBeLessThan(1e-5);
    if (activation === 'relu') expect(Math.min(...compiled.values)).toBe(0);
  });

  it.each([
    { a: [2, 3], b: [4, 8], transposeA: false },
    { a: [5, 3], b: [4, 8], transposeA: true },
  ])('names mismatched inner sizes, as the backend does: a=$a b=$b transposeA=$transposeA', async ({ a, b, transposeA }) => {
    await tf.setBackend('wasm');
    expect(() => tf.matMul(tf.zeros(a), tf.zeros(b), transposeA, false)).toThrow(/inner shapes/);
  });

  it('leaves no data on the heap but its result (the transposed copy is freed)', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const a = tf.ones([3, 5]);
    const b = tf.ones([8, 5]);
    const before = backend.numDataIds();
    const y = tf.matMul(a, b, false, true);
    expect(backend.numDataIds() - before).toBeLessThanOrEqual(1);
    expect(y.arraySync()).toEqual(Array(3).fill(Array(8).fill(5)));
    tf.dispose([a, b, y]);
    expect(backend.numDataIds()).toBe(before - 2);
  });
});
