import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { ConfigError, InputError, initBackend, registry, tf, withSeed, type Encoder } from '@polyfuse/core';
import { loadPretrainedModel, PretrainedEncoder } from '../node.js';
import { classifierAround, overfit, roundTrip } from '@polyfuse/core/testing';

/** Saves a LayersModel as TF.js writes it to disk: model.json + one weight shard. */
async function saveToFolder(model: tf.LayersModel, dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
      await fs.writeFile(path.join(dir, 'group1-shard1of1.bin'), weights);
      const json = { format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }] };
      await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** A small "pretrained" classifier: conv → pool → dense 'features' → dense 'predictions'. */
function pretrainedClassifier(): tf.LayersModel {
  return withSeed(11, () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'tanh', name: 'conv' }).apply(input);
    const pooled = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(conv);
    const features = tf.layers.dense({ units: 6, activation: 'tanh', name: 'features' }).apply(pooled);
    const predictions = tf.layers.dense({ units: 10, activation: 'softmax', name: 'predictions' }).apply(features);
    return tf.model({ inputs: input, outputs: predictions as tf.SymbolicTensor, name: 'tiny_net' });
  });
}

describe('encoder/pretrained and loadPretrainedModel', () => {
  let dir: string;
  let original: tf.LayersModel;
  let x: tf.Tensor;

  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
    x = tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', 1);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-pretrained-'));
    original = pretrainedClassifier();
    await saveToFolder(original, path.join(dir, 'tiny'));
    await loadPretrainedModel(path.join(dir, 'tiny'), { name: 'tiny' });
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('cuts a loaded model at the feature layer, with the original weights', () => {
    const encoder = registry.create<Encoder>('encoder', 'pretrained', { model: 'tiny', featureLayer: 'features' }, undefined, { modality: 'image' });
    expect(encoder.inputShape).toEqual([8, 8, 3]);
    expect(encoder.outputShape).toEqual([6]);
    const expected = tf.model({ inputs: original.inputs, outputs: original.getLayer('features').output as tf.SymbolicTensor }).predict(x) as tf.Tensor;
    const actual = encoder.apply(x);
    Array.from(actual.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i]!, 5));
  });

  it('pools a conv feature map', () => {
    const encoder = registry.create<Encoder>('encoder', 'pretrained', { model: 'tiny', featureLayer: 'conv', pooling: 'globalAverage' });
    expect(encoder.outputShape).toEqual([4]);
    expect(registry.create<Encoder>('encoder', 'pretrained', { model: 'tiny', featureLayer: 'conv', pooling: 'flatten' }).outputShape).toEqual([6 * 6 * 4]);
  });

  it('is frozen by default and fine-tunable on request', () => {
    const frozen = classifierAround(registry.create<Encoder>('encoder', 'pretrained', { model: 'tiny', featureLayer: 'features' }, undefined, { modality: 'image' }), 2, { modality: 'image' });
    expect(frozen.trainableVariables(['encoder:image'])).toHaveLength(0);
    expect(frozen.trainableVariables()).toHaveLength(2); // the new head only
    const before = Array.from(frozen.model.getLayer('image_pretrained_features').getWeights()[0]!.dataSync());
    overfit(frozen, x, [0, 1, 0, 1], { steps: 3 });
    expect(Array.from(frozen.model.getLayer('image_pretrained_features').getWeights()[0]!.dataSync())).toEqual(before);

    const tuned = classifierAround(registry.create<Encoder>('encoder', 'pretrained', { model: 'tiny', featureLayer: 'features', trainable: true }, undefined, { modality: 'image' }), 2, { modality: 'image' });
    expect(tuned.trainableVariables(['encoder:image'])).toHaveLength(4);
    const losses = overfit(tuned, x, [0, 1, 0, 1], { steps: 60, learningRate: 0.05 });
    expect(losses.at(-1)).toBeLessThan(0.1);
  });

  it('saves inside a multimodal model and loads back without the original files', async () => {
    const model = classifierAround(new PretrainedEncoder((await loadPretrainedModel(path.join(dir, 'tiny', 'model.json'))), { featureLayer: 'features', modality: 'image' }), 3, { modality: 'image' });
    const { before, after } = await roundTrip(model, x);
    expect(after).toEqual(before);
  });

  it('names what is wrong: unknown layer, model not loaded, missing files', async () => {
    expect(() => registry.create('encoder', 'pretrained', { model: 'tiny', featureLayer: 'nope' })).toThrow(/'nope' is not a layer of 'tiny'/);
    expect(() => registry.create('encoder', 'pretrained', { model: 'not-loaded' })).toThrow(ConfigError);
    await expect(loadPretrainedModel(path.join(dir, 'missing'))).rejects.toThrow(InputError);
    await fs.mkdir(path.join(dir, 'broken'));
    await fs.copyFile(path.join(dir, 'tiny', 'model.json'), path.join(dir, 'broken', 'model.json'));
    await expect(loadPretrainedModel(path.join(dir, 'broken'))).rejects.toThrow(/group1-shard1of1.bin: weight shard/);
  });
});

/** A hand-written TF.js graph model: features = tanh(x · w), x [batch, 4], w [4, 3]. */
async function writeGraphModel(dir: string, w: number[]): Promise<void> {
  const float = { type: 'DT_FLOAT' };
  const topology = {
    node: [
      { name: 'x', op: 'Placeholder', attr: { dtype: float, shape: { shape: { dim: [{ size: '-1' }, { size: '4' }] } } } },
      { name: 'w', op: 'Const', attr: { dtype: float, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '4' }, { size: '3' }] } } } } },
      { name: 'matmul', op: 'MatMul', input: ['x', 'w'], attr: { T: float, transpose_a: { b: false }, transpose_b: { b: false } } },
      { name: 'features', op: 'Tanh', input: ['matmul'], attr: { T: float } },
    ],
    library: {},
    versions: {},
  };
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'weights.bin'), new Uint8Array(new Float32Array(w).buffer));
  await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify({ format: 'graph-model', modelTopology: topology, weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [4, 3], dtype: 'float32' }] }] }));
}

describe('encoder/pretrained with a graph model', () => {
  let dir: string;
  const w = [0.1, -0.2, 0.3, 0.4, 0.5, -0.6, -0.7, 0.8, 0.9, 1.0, -1.1, 1.2];

  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-graph-'));
    await writeGraphModel(dir, w);
    await loadPretrainedModel(dir, { name: 'tiny-graph' });
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('runs frozen, gives the graph output, and trains a head on top', async () => {
    const encoder = registry.create<Encoder>('encoder', 'pretrained', { model: 'tiny-graph', featureLayer: 'features' }, undefined, { modality: 'image' });
    expect(encoder.inputShape).toEqual([4]);
    expect(encoder.outputShape).toEqual([3]);
    const x = tf.tensor2d([[1, 2, 3, 4], [0, 1, -1, -2]]);
    const expected = tf.tanh(tf.matMul(x, tf.tensor2d(w, [4, 3]))).dataSync();
    Array.from(encoder.apply(x).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    const model = classifierAround(encoder, 2, { modality: 'image' });
    expect(model.trainableVariables(['encoder:image'])).toHaveLength(0);
    expect(overfit(model, x, [0, 1], { steps: 60, learningRate: 0.1 }).at(-1)).toBeLessThan(0.1);
    const { before, after } = await roundTrip(model, x); // the graph model stays registered by name
    expect(after).toEqual(before);
  });

  it('refuses fine-tuning and unknown nodes', () => {
    expect(() => registry.create('encoder', 'pretrained', { model: 'tiny-graph', trainable: true })).toThrow(/graph model.*only be used frozen/);
    expect(() => registry.create('encoder', 'pretrained', { model: 'tiny-graph', featureLayer: 'nope' })).toThrow(/cannot produce 'nope'/);
  });
});
