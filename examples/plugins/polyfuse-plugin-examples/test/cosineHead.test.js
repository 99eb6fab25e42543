import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { cosineLogits, createCosineHead } from '../src/cosineHead.js';

const close = (a, b, tolerance = 1e-5) => a.flat().forEach((x, i) => assert.ok(Math.abs(x - b.flat()[i]) < tolerance, `${x} vs ${b.flat()[i]}`));

test('gives the scaled cosine between the embedding and each class weight', () => {
  const x = tf.tensor2d([[3, 4], [0, 2]]);
  const kernel = tf.tensor2d([[1, 0], [0, 5]]); // class 0 along e1, class 1 along e2 (of length 5)
  close(cosineLogits(x, kernel, 10).arraySync(), [[6, 8], [0, 10]]);
});

test('does not depend on the length of the embedding', () => {
  const kernel = tf.randomNormal([4, 3], 0, 1, 'float32', 3);
  const x = tf.randomNormal([2, 4], 0, 1, 'float32', 4);
  close(cosineLogits(tf.mul(x, 100), kernel, 5).arraySync(), cosineLogits(x, kernel, 5).arraySync());
  assert.ok(cosineLogits(x, kernel, 5).abs().max().dataSync()[0] <= 5 + 1e-5);
});

test('gives zeros, not NaN, for a zero embedding', () => {
  assert.deepEqual(cosineLogits(tf.zeros([1, 2]), tf.ones([2, 3]), 10).arraySync(), [[0, 0, 0]]);
});

test('learns its scale unless told not to, and saves and loads with the model', async () => {
  for (const learnScale of [true, false]) {
    const head = createCosineHead({ inputShape: [4], units: 3, scale: 16, learnScale, namePrefix: 'aux_image' });
    const input = tf.input({ shape: [4] });
    const model = tf.model({ inputs: input, outputs: head.apply(input) });
    assert.deepEqual(head.outputShape, [3]);
    assert.equal(model.layers[1].name, 'aux_image_cosine');
    assert.equal(model.trainableWeights.length, learnScale ? 2 : 1);
    let saved;
    await model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
    const x = tf.randomNormal([2, 4], 0, 1, 'float32', 9);
    close(loaded.predict(x).arraySync(), model.predict(x).arraySync());
  }
});
