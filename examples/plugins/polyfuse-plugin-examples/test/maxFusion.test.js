import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { createMaxFusion, maskedMax } from '../src/maxFusion.js';

test('takes the elementwise max of the present modalities only', () => {
  const image = tf.tensor2d([[1, -2, 3], [0, 0, 0], [5, 5, 5]]);
  const audio = tf.tensor2d([[0, 4, -1], [2, -3, 1], [NaN, NaN, NaN]]);
  // sample 0: both present; sample 1: image absent; sample 2: audio absent (its NaNs must not leak).
  const fused = maskedMax([image, audio], [tf.tensor1d([1, 0, 1]), tf.tensor1d([1, 1, 0])]);
  assert.deepEqual(fused.arraySync(), [[1, 4, 3], [2, -3, 1], [5, 5, 5]]);
});

test('gives zeros when no modality is present', () => {
  const fused = maskedMax([tf.ones([1, 2]), tf.ones([1, 2])], [tf.tensor1d([0]), tf.tensor1d([0])]);
  assert.deepEqual(fused.arraySync(), [[0, 0]]);
});

test('sends the gradient to the winning modality of each feature', () => {
  const a = tf.tensor2d([[1, -1]]);
  const b = tf.tensor2d([[0, 2]]);
  const masks = [tf.tensor1d([1]), tf.tensor1d([1])];
  const [ga, gb] = tf.grads((x, y) => tf.sum(maskedMax([x, y], masks)))([a, b]);
  assert.deepEqual(ga.arraySync(), [[1, 0]]);
  assert.deepEqual(gb.arraySync(), [[0, 1]]);
});

test('builds into a model that saves and loads with the same outputs', async () => {
  const fusion = createMaxFusion({ inputShapes: { image: [3], audio: [5] }, units: 4 });
  assert.deepEqual(fusion.outputShape, [4]);
  const inputs = { image: tf.input({ shape: [3] }), audio: tf.input({ shape: [5] }) };
  const masks = { image: tf.input({ shape: [], name: 'mask_image' }), audio: tf.input({ shape: [], name: 'mask_audio' }) };
  const model = tf.model({ inputs: [inputs.image, inputs.audio, masks.image, masks.audio], outputs: fusion.apply(inputs, masks) });
  const batch = [tf.randomNormal([2, 3], 0, 1, 'float32', 1), tf.randomNormal([2, 5], 0, 1, 'float32', 2), tf.tensor1d([1, 0]), tf.tensor1d([1, 1])];
  let saved;
  await model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
  // apply, not predict: predict would reshape the [B] masks to [B, 1].
  assert.deepEqual(loaded.apply(batch).arraySync(), model.apply(batch).arraySync());
});

test('refuses embeddings of different sizes without a projection', () => {
  assert.throws(() => createMaxFusion({ inputShapes: { image: [3], audio: [5] }, units: 0 }), /equal embedding sizes .*set units/);
});
