#!/usr/bin/env node
/**
 * Training-step time of the audio encoders at their default sizes (log-mel
 * 40 x 32 x 1, waveform 8000 x 1) with a 10-class dense head, batch 32, Adam,
 * on the backend initBackend picks (wasm here; POLYFUSE_BACKEND=cpu forces cpu, which is
 * ~50x slower for these convolutions).
 *
 *   npx tsc -b packages/audio && node bench/audio/encoders.mjs
 */
import { initBackend, tf, withSeed } from '../../packages/core/dist/index.js';
import { createAudioCnnEncoder, createAudioCnn1dEncoder, createAudioTransformerEncoder } from '../../packages/audio/dist/index.js';

const { name: backend } = await initBackend({ log: null });
const encoders = [
  ['audio-cnn', createAudioCnnEncoder],
  ['audio-cnn1d', createAudioCnn1dEncoder],
  ['audio-transformer', createAudioTransformerEncoder],
];
console.log(`backend ${backend}, batch 32, 10 timed steps after one warm-up step`);
console.log('| encoder | input | parameters | ms / training step | ms / inference batch |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, create] of encoders) {
  const encoder = withSeed(1, () => create({ modality: 'audio' }));
  const input = tf.input({ shape: encoder.inputShape });
  const model = withSeed(2, () => tf.model({ inputs: input, outputs: tf.layers.dense({ units: 10 }).apply(encoder.apply(input)) }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = tf.randomNormal([32, ...encoder.inputShape]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), 'int32'), 10).cast('float32');
  await model.trainOnBatch(x, y);
  let start = performance.now();
  for (let i = 0; i < 10; i++) await model.trainOnBatch(x, y);
  const train = (performance.now() - start) / 10;
  start = performance.now();
  for (let i = 0; i < 10; i++) {
    const out = model.predict(x);
    await out.data();
    out.dispose();
  }
  const infer = (performance.now() - start) / 10;
  console.log(`| ${name} | [${encoder.inputShape.join(', ')}] | ${model.countParams()} | ${train.toFixed(0)} | ${infer.toFixed(0)} |`);
  tf.dispose([x, y]);
  model.dispose();
}
