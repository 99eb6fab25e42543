import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../../index.js';
import { computeOn, maxRelativeDifference, randomValues } from '../../testing/backendParity.js';
import { canConvBiasActivation, convBiasActivation } from './convBiasActivation.js';

type Shape4 = [number, number, number, number];
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

describe('convBiasActivation: conv, bias and ReLU in one compiled pass, with its own gradient', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: null });
  });

  it.each<{ x: Shape4; filter: Shape4; strides: number; pad: 'same' | 'valid'; activation: 'relu' | 'linear'; bias: boolean }>([
    { x: [3, 9, 8, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'same', activation: 'relu', bias: true },
    { x: [2, 10, 11, 4], filter: [3, 3, 4, 8], strides: 2, pad: 'same', activation: 'relu', bias: true },
    { x: [2, 7, 7, 3], filter: [2, 2, 3, 12], strides: 1, pad: 'valid', activation: 'linear', bias: true },
    { x: [2, 6, 6, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'same', activation: 'relu', bias: false },
  ])('matches conv2d + add + relu, value and every gradient: x=$x filter=$filter strides=$strides pad=$pad $activation bias=$bias', async (c) => {
    const xValues = randomValues(size(c.x), 71);
    const filterValues = randomValues(size(c.filter), 72);
    const biasValues = randomValues(c.filter[3], 73);
    const dyValues = randomValues(1e5, 74);
    const run = (fused: boolean) => () => {
      const f = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
        if (fused) return convBiasActivation(x as tf.Tensor4D, w as tf.Tensor4D, c.bias ? (b as tf.Tensor1D) : undefined, { strides: [c.strides, c.strides], pad: c.pad, activation: c.activation });
        let y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad) as tf.Tensor;
        if (c.bias) y = tf.add(y, b);
        return c.activation === 'relu' ? tf.relu(y) : y;
      };
      const inputs = [tf.tensor4d(xValues, c.x), tf.tensor4d(filterValues, c.filter), tf.tensor1d(biasValues)];
      const y = f(inputs[0]!, inputs[1]!, inputs[2]!);
      const dy = tf.tensor(dyValues.subarray(0, y.size), y.shape);
      const bias = inputs[2]!;
      const grads = c.bias ? tf.grads(f)(inputs, dy) : tf.grads((x: tf.Tensor, w: tf.Tensor) => f(x, w, bias))(inputs.slice(0, 2), dy);
      return tf.concat([y, ...grads].map((t) => tf.reshape(t, [-1])));
    };
    const fused = await computeOn('wasm', run(true));
    const unfused = await computeOn('wasm', run(false));
    const cpu = await computeOn('cpu', run(false));
    expect(maxRelativeDifference(fused.values, unfused.values)).toBeLessThan(1e-5);
    expect(maxRelativeDifference(fused.values, cpu.values)).toBeLessThan(1e-4);
  });

  it('computes no input gradient when only the weights need one (a model’s first layer)', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 8, 8, 1]) as tf.Tensor4D;
    const filter = tf.variable(tf.randomNormal([3, 3, 1, 8])) as unknown as tf.Variable<tf.Rank.R4>;
    const bias = tf.variable(tf.zeros([8])) as unknown as tf.Variable<tf.Rank.R1>;
    expect(canConvBiasActivation(x, filter)).toBe(true);
    const profile = await tf.profile(() => {
      const { grads } = tf.variableGrads(() => tf.sum(convBiasActivation(x, filter, bias, { strides: [1, 1], pad: 'same', activation: 'relu' })) as tf.Scalar);
      return Object.values(grads);
    });
    const kernels = profile.kernels.map((k) => k.name);
    expect(kernels).toContain('Conv2DBackpropFilter');
    expect(kernels).not.toContain('Conv2DBackpropInput');
    tf.dispose([x, filter, bias]);
  });

  it('is what core’s Conv2D layer runs on wasm, with the same output and gradients as tfjs-layers’ conv2d', async () => {
    await tf.setBackend('wasm');
    const { conv2d } = await import('../../layers/conv2d.js');
    const ours = conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' });
    const theirs = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' });
    const x = tf.randomNormal([2, 6, 6, 3]);
    ours.build(x.shape);
    theirs.build(x.shape);
    theirs.setWeights(ours.getWeights());
    const gradients = (layer: tf.layers.Layer) => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar, layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
      return [value, ...Object.values(grads)].map((t) => Array.from(t.dataSync()));
    };
    const [a, b] = [gradients(ours), gradients(theirs)];
    a.forEach((values, i) => expect(maxRelativeDifference(values, b[i]!)).toBeLessThan(1e-5));
    const profile = await tf.profile(() => ours.apply(x) as tf.Tensor);
    expect(profile.kernels.map((k) => k.name)).toEqual(['PolyfuseConvBiasActivation']);
  });
});
