import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../../index.js';
import { computeOn, maxRelativeDifference, randomValues } from '../../testing/backendParity.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: Pad;
}

const cases: Case[] = [
  { x: [1, 5, 5, 1], filter: [3, 3, 1, 1], strides: 1, dilations: 1, pad: 'same' },
  { x: [2, 8, 7, 3], filter: [3, 3, 3, 2], strides: 1, dilations: 1, pad: 'valid' },
  { x: [3, 9, 9, 2], filter: [3, 3, 2, 1], strides: 2, dilations: 1, pad: 'same' },
  { x: [2, 10, 11, 4], filter: [3, 2, 4, 3], strides: [2, 3], dilations: 1, pad: 'valid' },
  { x: [2, 9, 10, 2], filter: [3, 3, 2, 2], strides: 1, dilations: 2, pad: 'same' },
  { x: [2, 11, 9, 3], filter: [2, 3, 3, 1], strides: 1, dilations: [3, 2], pad: 'valid' },
  { x: [2, 7, 8, 3], filter: [5, 5, 3, 1], strides: 3, dilations: 1, pad: 'same' },
  { x: [2, 6, 7, 2], filter: [3, 3, 2, 2], strides: 2, dilations: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [1, 16, 16, 32], filter: [3, 3, 32, 1], strides: 1, dilations: 1, pad: 'same' },
];

function outputGradientShape(c: Case): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad as 'same', undefined, true);
  return [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

const pairOf = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/**
 * The tfjs cpu kernels ignore `dilations` (tfjs's own gradient refuses
 * dilated depthwise convolutions), so dilated cases are checked against the
 * identity they must satisfy: a dilated filter equals an undilated one with
 * zeros between its taps.
 */
function spreadFilter(values: Float32Array, shape: Case['filter'], dilations: Case['dilations']): { values: Float32Array; shape: Case['filter'] } {
  const [dh, dw] = pairOf(dilations);
  const [fh, fw, c, m] = shape;
  const spreadShape: Case['filter'] = [(fh - 1) * dh + 1, (fw - 1) * dw + 1, c, m];
  const spread = new Float32Array(size(spreadShape));
  for (let i = 0; i < fh; i++)
    for (let j = 0; j < fw; j++)
      for (let k = 0; k < c * m; k++) spread[((i * dh) * spreadShape[1] + j * dw) * c * m + k] = values[(i * fw + j) * c * m + k]!;
  return { values: spread, shape: spreadShape };
}

function filterGradient(c: Case, reference = false): () => tf.Tensor {
  const dyShape = outputGradientShape(c);
  const xValues = randomValues(size(c.x), 11);
  const dyValues = randomValues(size(dyShape), 12);
  const [dh, dw] = pairOf(c.dilations);
  const undilated = reference && (dh > 1 || dw > 1);
  const filterShape = undilated ? spreadFilter(new Float32Array(size(c.filter)), c.filter, c.dilations).shape : c.filter;
  return () => {
    const gradient = tf.engine().runKernel(
      'DepthwiseConv2dNativeBackpropFilter',
      { x: tf.tensor(xValues, c.x), dy: tf.tensor(dyValues, dyShape) },
      { strides: c.strides, dilations: undilated ? 1 : c.dilations, pad: c.pad, filterShape } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor4D;
    return undilated ? tf.stridedSlice(gradient, [0, 0, 0, 0], filterShape, [dh, dw, 1, 1]) : gradient;
  };
}

function inputGradient(c: Case, reference = false): () => tf.Tensor {
  const dyShape = outputGradientShape(c);
  const dyValues = randomValues(size(dyShape), 14);
  const [dh, dw] = pairOf(c.dilations);
  const undilated = reference && (dh > 1 || dw > 1);
  const filter = undilated
    ? spreadFilter(randomValues(size(c.filter), 13), c.filter, c.dilations)
    : { values: randomValues(size(c.filter), 13), shape: c.filter };
  return () =>
    tf.engine().runKernel(
      'DepthwiseConv2dNativeBackpropInput',
      { dy: tf.tensor(dyValues, dyShape), filter: tf.tensor(filter.values, filter.shape) },
      { strides: c.strides, dilations: undilated ? 1 : c.dilations, pad: c.pad, inputShape: c.x } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor;
}

describe('depthwise convolution gradients on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  it.each(cases)(
    'DepthwiseConv2dNativeBackpropFilter matches cpu for x=$x filter=$filter strides=$strides dilations=$dilations pad=$pad',
    async (c) => {
      const cpu = await computeOn('cpu', filterGradient(c, true));
      const wasm = await computeOn('wasm', filterGradient(c));
      expect(wasm.shape).toEqual(c.filter);
      expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-4);
    },
  );

  it.each(cases)(
    'DepthwiseConv2dNativeBackpropInput matches cpu for x=$x filter=$filter strides=$strides dilations=$dilations pad=$pad',
    async (c) => {
      const cpu = await computeOn('cpu', inputGradient(c, true));
      const wasm = await computeOn('wasm', inputGradient(c));
      expect(wasm.shape).toEqual(c.x);
      expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-4);
    },
  );

  it('gives tf.grad of a depthwise conv layer the same gradients as cpu', async () => {
    const x = randomValues(2 * 8 * 8 * 3, 15);
    const filter = randomValues(3 * 3 * 3 * 2, 16);
    const compute = () => {
      const grads = tf.grads((input: tf.Tensor, weights: tf.Tensor) =>
        tf.depthwiseConv2d(input as tf.Tensor4D, weights as tf.Tensor4D, 2, 'same').square().sum(),
      )([tf.tensor4d(x, [2, 8, 8, 3]), tf.tensor4d(filter, [3, 3, 3, 2])]);
      return tf.concat(grads.map((g) => g.flatten()));
    };
    const cpu = await computeOn('cpu', compute);
    const wasm = await computeOn('wasm', compute);
    expect(maxRelativeDifference(wasm.values, cpu.values)).toBeLessThan(1e-4);
  });

  it('frees every intermediate tensor', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    tf.tidy(filterGradient(cases[4]!)).dispose();
    tf.tidy(inputGradient(cases[4]!)).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
