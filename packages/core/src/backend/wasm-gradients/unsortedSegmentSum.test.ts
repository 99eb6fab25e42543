import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../../index.js';
import { computeOn, maxRelativeDifference, randomValues } from '../../testing/backendParity.js';

describe('UnsortedSegmentSum on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  const cases: { xShape: number[]; ids: number[]; numSegments: number }[] = [
    { xShape: [5], ids: [0, 2, 0, 2, 1], numSegments: 4 },
    { xShape: [6, 3], ids: [3, 3, 3, 0, 1, 3], numSegments: 5 },
    { xShape: [4, 2, 3], ids: [1, 0, 1, 1], numSegments: 2 },
    { xShape: [7, 8], ids: [9, 0, 2, 9, 9, 4, 0], numSegments: 10 },
  ];

  it.each(cases)('matches cpu for x=$xShape ids=$ids', async ({ xShape, ids, numSegments }) => {
    const values = randomValues(xShape.reduce((a, b) => a * b), 5);
    const compute = () => tf.unsortedSegmentSum(tf.tensor(values, xShape), tf.tensor1d(ids, 'int32'), numSegments);
    const cpu = await computeOn('cpu', compute);
    const wasm = await computeOn('wasm', compute);
    expect(wasm.shape).toEqual(cpu.shape);
    expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-5);
  });

  it('drops ids outside [0, numSegments), as TensorFlow does', async () => {
    await tf.setBackend('wasm');
    const result = tf.tidy(() =>
      tf.unsortedSegmentSum(tf.tensor2d([[1, 1], [2, 2], [4, 4], [8, 8]]), tf.tensor1d([1, -1, 3, 1], 'int32'), 3),
    );
    expect(result.arraySync()).toEqual([[0, 0], [9, 9], [0, 0]]);
    result.dispose();
  });

  it('sums over every leading dimension the ids cover (TensorFlow semantics for 2-D ids)', async () => {
    await tf.setBackend('wasm');
    const result = tf.tidy(() =>
      tf.engine().runKernel(
        'UnsortedSegmentSum',
        { x: tf.tensor3d([[[1], [2]], [[4], [8]]]), segmentIds: tf.tensor2d([[0, 1], [1, 1]], [2, 2], 'int32') },
        { numSegments: 2 },
      ) as tf.Tensor,
    );
    expect(result.arraySync()).toEqual([[1], [14]]);
    result.dispose();
  });

  it('gives the embedding gradient (gradient of gather) equal to cpu', async () => {
    const table = randomValues(50 * 4, 6);
    const compute = () =>
      tf.grad((embeddings: tf.Tensor2D) =>
        tf.gather(embeddings, tf.tensor2d([[3, 7, 3], [49, 0, 3]], [2, 3], 'int32')).mul(tf.linspace(1, 2, 4)).sum(),
      )(tf.tensor2d(table, [50, 4]));
    const cpu = await computeOn('cpu', compute);
    const wasm = await computeOn('wasm', compute);
    expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-5);
  });
});
