import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '../index.js';
import { conv2d } from './conv2d.js';
import { maxRelativeDifference } from '../testing/backendParity.js';

type Conv2DArgs = Parameters<typeof tf.layers.conv2d>[0];

/** Output and gradients (kernel, bias, input) of a layer with fixed weights. */
function run(layer: tf.layers.Layer, shape: number[]): number[][] {
  return tf.tidy(() => {
    const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
    layer.apply(x);
    layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', 10 + i)));
    const loss = (input: tf.Tensor) => (layer.apply(input, { training: true }) as tf.Tensor).square().sum() as tf.Scalar;
    const { grads } = tf.variableGrads(() => loss(x), layer.trainableWeights.map((w) => w.read() as tf.Variable));
    const list = (t: tf.Tensor) => Array.from(t.dataSync());
    return [list(layer.apply(x) as tf.Tensor), ...Object.values(grads).map(list), list(tf.grad(loss)(x))];
  });
}

describe('Conv2D (unfused with a linear activation)', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  for (const backend of ['wasm', 'cpu']) {
    it.each<[string, Conv2DArgs]>([
      ['no bias', { filters: 4, kernelSize: 3, padding: 'same', useBias: false }],
      ['bias, strides 2, valid', { filters: 3, kernelSize: [3, 2], strides: 2, padding: 'valid' }],
      ['relu (tfjs-layers path)', { filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' }],
    ])(`matches tf.layers.conv2d on ${backend}: %s`, async (_, args) => {
      await tf.setBackend(backend);
      const ours = run(conv2d(args), [2, 9, 8, 3]);
      const reference = run(tf.layers.conv2d(args), [2, 9, 8, 3]);
      expect(ours.length).toBe(reference.length);
      ours.forEach((values, i) => expect(maxRelativeDifference(values, reference[i]!)).toBeLessThan(1e-4));
    });
  }

  it('lets the gradient tape skip the gradient with respect to data it does not need', async () => {
    await tf.setBackend('wasm');
    const kernelsOf = async (layer: tf.layers.Layer) => {
      const x = tf.randomNormal([4, 8, 8, 1]);
      layer.apply(x);
      const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const profile = await tf.profile(() => tf.tidy(() => void tf.variableGrads(() => (layer.apply(x) as tf.Tensor).sum() as tf.Scalar, weights)));
      x.dispose();
      return profile.kernels.map((k) => k.name);
    };
    expect(await kernelsOf(tf.layers.conv2d({ filters: 4, kernelSize: 3, useBias: false }))).toContain('Conv2DBackpropInput');
    expect(await kernelsOf(conv2d({ filters: 4, kernelSize: 3, useBias: false }))).not.toContain('Conv2DBackpropInput');
  });

  it('saves and loads as PolyfuseConv2D with the same predictions', async () => {
    await tf.setBackend('wasm');
    const input = tf.input({ shape: [6, 6, 2] });
    const model = tf.model({ inputs: input, outputs: conv2d({ filters: 3, kernelSize: 3, name: 'conv' }).apply(input) as tf.SymbolicTensor });
    let artifacts!: tf.io.ModelArtifacts;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    expect(JSON.stringify(artifacts.modelTopology)).toContain('PolyfuseConv2D');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 4);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
  });
});
