import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createMultimodalModel, initBackend, registry, tf, withSeed, type Encoder } from '@polyfuse/core';
import { ImageCnnEncoder } from '../index.js';
import { classifierAround, gradientMagnitudes, overfit, registerTestParts, roundTrip } from '@polyfuse/core/testing';

const images = (seed: number) => tf.randomUniform([4, 12, 12, 1], 0, 1, 'float32', seed);
const labels = [0, 1, 2, 1];

describe('encoder/image-cnn', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
    registerTestParts();
  });

  it('is registered and declares its output shape', () => {
    const encoder = registry.create<Encoder>('encoder', 'image-cnn', { inputShape: [12, 12, 1], filters: [4, 8], units: 16 }, undefined, { modality: 'image' });
    expect(encoder.outputShape).toEqual([16]);
    expect(encoder.apply(images(1)).shape).toEqual([4, 16]);
    const flat = new ImageCnnEncoder({ inputShape: [12, 12, 1], filters: [4], units: 0 });
    expect(flat.outputShape).toEqual([6 * 6 * 4]);
  });

  it('keeps the feature map as a sequence of cells with their positions (pooling: sequence)', async () => {
    const encoder = withSeed(2, () => new ImageCnnEncoder({ inputShape: [12, 12, 1], filters: [4, 8], units: 16, pooling: 'sequence', modality: 'image' }));
    expect(encoder.outputShape).toEqual([9, 16]);
    expect(encoder.apply(images(1)).shape).toEqual([4, 9, 16]);
    // The same image content in another cell gives another step: position is kept.
    const blob = tf.tidy(() => tf.pad(tf.ones([1, 4, 4, 1]), [[0, 0], [0, 8], [0, 8], [0, 0]]));
    const moved = tf.tidy(() => tf.pad(tf.ones([1, 4, 4, 1]), [[0, 0], [8, 0], [8, 0], [0, 0]]));
    const [a, b] = [encoder.apply(blob), encoder.apply(moved)];
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-3);
    const model = classifierAround(encoder, 2, { modality: 'image' });
    const { before, after } = await roundTrip(model, images(3));
    expect(after).toEqual(before);
  });

  it('overfits a tiny batch, and every variable gets a gradient (with batch norm)', () => {
    const encoder = withSeed(1, () => new ImageCnnEncoder({ inputShape: [12, 12, 1], filters: [4, 8], batchNorm: true, units: 16, modality: 'image' }));
    const model = classifierAround(encoder, 3, { modality: 'image' });
    const x = images(2);
    const grads = gradientMagnitudes(model, x, labels);
    expect(Object.keys(grads).length).toBe(model.trainableVariables().length);
    for (const [name, g] of Object.entries(grads)) expect(g, name).toBeGreaterThan(0);
    const losses = overfit(model, x, labels, { steps: 40 });
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(losses.at(-1)).toBeLessThan(0.05);
  });

  it('saves and loads through core to identical outputs', async () => {
    const encoder = registry.create<Encoder>('encoder', 'image-cnn', { inputShape: [12, 12, 1], filters: [4], batchNorm: true, dropout: 0.2, units: 8 }, undefined, { modality: 'image' });
    const model = classifierAround(encoder, 2, { modality: 'image' });
    const { before, after } = await roundTrip(model, images(3));
    expect(after).toEqual(before);
  });

  it('builds identical weights from the same seed, through the registry spec', () => {
    const weights = (seed: number) =>
      createMultimodalModel({
        encoders: { image: { name: 'image-cnn', config: { inputShape: [12, 12, 1], filters: [4], units: 8 } } },
        fusion: { name: 'test-pass' },
        head: { name: 'test-dense', config: { units: 2 } },
        seed,
      }).model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)).not.toEqual(weights(4));
  });

  it('leaks no tensors across training steps', () => {
    const model = classifierAround(withSeed(6, () => new ImageCnnEncoder({ inputShape: [12, 12, 1], filters: [4], batchNorm: true, dropout: 0.1, units: 8 })), 3, { modality: 'image' });
    const x = images(7);
    overfit(model, x, labels, { steps: 2 });
    const live = tf.memory().numTensors;
    overfit(model, x, labels, { steps: 5 });
    expect(tf.memory().numTensors).toBe(live);
  });

  it('rejects bad configs naming the field', () => {
    expect(() => new ImageCnnEncoder({ inputShape: [12, 12] })).toThrow(/inputShape must be \[height, width, channels\]/);
    expect(() => new ImageCnnEncoder({ inputShape: [12, 12, 1], filters: [4, 4, 4, 4, 4] })).toThrow(ConfigError);
    expect(() => registry.create('encoder', 'image-cnn', { inputShape: [8, 8, 1], kernel: 3 })).toThrow(/encoder\/image-cnn.kernel is not a known option/);
  });

  it('runs on the wasm backend with the same outputs as cpu', async () => {
    const encoder = withSeed(4, () => new ImageCnnEncoder({ inputShape: [12, 12, 1], filters: [4], units: 8 }));
    const x = images(5);
    const onCpu = Array.from(encoder.apply(x).dataSync());
    const values = x.arraySync();
    await initBackend({ backend: 'wasm', log: null });
    try {
      const onWasm = Array.from(encoder.apply(tf.tensor(values)).dataSync());
      onWasm.forEach((v, i) => expect(v).toBeCloseTo(onCpu[i]!, 4));
    } finally {
      await initBackend({ backend: 'cpu', log: null });
    }
  });
});
