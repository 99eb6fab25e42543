import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../../index.js';
import { computeOn, maxRelativeDifference, randomValues } from '../../testing/backendParity.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
}

const cases: Case[] = [
  { x: [1, 5, 5, 1], filter: [3, 3, 1, 1], strides: 1, pad: 'same' },
  { x: [2, 8, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { x: [3, 9, 9, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' },
  { x: [2, 10, 11, 2], filter: [3, 2, 2, 3], strides: [2, 3], pad: 'valid' },
  { x: [2, 7, 8, 3], filter: [5, 5, 3, 2], strides: 3, pad: 'same' },
  { x: [4, 6, 6, 2], filter: [1, 1, 2, 6], strides: 2, pad: 'valid' },
  { x: [2, 6, 7, 2], filter: [3, 3, 2, 3], strides: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [2, 3, 6, 5], filter: [2, 3, 3, 4], strides: 1, pad: 'same', dataFormat: 'NCHW' },
  { x: [1, 28, 28, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'same' },
  { x: [4, 40, 32, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'same' },
];

function explicitForFormat(pad: Pad, dataFormat: 'NHWC' | 'NCHW'): Pad {
  if (typeof pad === 'string' || dataFormat === 'NHWC') return pad;
  return [pad[0], pad[3], pad[1], pad[2]];
}

/** Runs the kernel directly (the same call `tf.grad` of a conv2d makes). */
function filterGradient(c: Case): () => tf.Tensor {
  const dataFormat = c.dataFormat ?? 'NHWC';
  const nhwc = dataFormat === 'NHWC' ? c.x : ([c.x[0], c.x[2], c.x[3], c.x[1]] as const);
  const info = tf.backend_util.computeConv2DInfo(
    [nhwc[0], nhwc[1], nhwc[2], nhwc[3]],
    c.filter,
    c.strides,
    1,
    typeof c.pad === 'string' ? c.pad : (c.pad as tf.backend_util.ExplicitPadding),
  );
  const dyShape =
    dataFormat === 'NHWC'
      ? [info.batchSize, info.outHeight, info.outWidth, info.outChannels]
      : [info.batchSize, info.outChannels, info.outHeight, info.outWidth];
  const xValues = randomValues(c.x.reduce((a, b) => a * b), 1);
  const dyValues = randomValues(dyShape.reduce((a, b) => a * b), 2);
  return () =>
    tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(xValues, c.x), dy: tf.tensor(dyValues, dyShape) }, {
      strides: c.strides,
      pad: explicitForFormat(c.pad, dataFormat),
      dataFormat,
      filterShape: c.filter,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  it.each(cases)('matches cpu for x=$x filter=$filter strides=$strides pad=$pad $dataFormat', async (c) => {
    const cpu = await computeOn('cpu', filterGradient(c));
    const wasm = await computeOn('wasm', filterGradient(c));
    expect(wasm.shape).toEqual(c.filter);
    expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-4);
  });

  it('gives the filter gradient tf.grad needs to train a conv2d', async () => {
    const loss = (filter: tf.Tensor4D) => {
      const x = tf.tensor4d(randomValues(2 * 9 * 9 * 3, 3), [2, 9, 9, 3]);
      return tf.conv2d(x, filter, 2, 'same').square().sum();
    };
    const gradient = () => tf.grad(loss)(tf.tensor4d(randomValues(3 * 3 * 3 * 4, 4), [3, 3, 3, 4]));
    const cpu = await computeOn('cpu', gradient);
    const wasm = await computeOn('wasm', gradient);
    expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-4);
  });

  it('frees every intermediate tensor', async () => {
    await tf.setBackend('wasm');
    const run = filterGradient(cases[2]!);
    const before = tf.memory().numTensors;
    tf.tidy(run).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
