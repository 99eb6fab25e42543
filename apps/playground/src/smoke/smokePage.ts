/**
 * smoke.html: exposes `window.polyfuseSmoke(name)`, which runs one package's
 * smoke operation in the page; the browser test calls it and compares the
 * result with the same operation run in Node.
 */
import { initPageBackend } from '../backend/initPageBackend.js';
import { tf } from '@polyfuse/core';
// The layers the saved model uses register when their packages are imported.
import '@polyfuse/image';
import '@polyfuse/audio';
import '@polyfuse/fusion';
import { sampleModelInputs, smokeOperations, type SmokeResult } from './operations.js';

declare global {
  interface Window {
    polyfuseSmoke: (name: string) => Promise<SmokeResult>;
    polyfuseBackend: string;
    polyfusePlainTfjs: () => Promise<number[][]>;
  }
}

const status = document.getElementById('status')!;
const backend = await initPageBackend();
const bytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
const [wav, png, jpeg] = await Promise.all(['./samples/spoken-7.wav', './samples/digit-7.png', './samples/digit-7.jpg'].map(bytes));

window.polyfuseBackend = backend;
window.polyfuseSmoke = async (name: string) => {
  const operation = smokeOperations[name];
  if (!operation) throw new Error(`no smoke operation '${name}'; there are: ${Object.keys(smokeOperations).join(', ')}`);
  return operation({ wav: wav!, png: png!, jpeg: jpeg! });
};
/**
 * The pretrained model opened with plain TF.js (`tf.loadLayersModel(url)`, no
 * polyfuse loader) and run with `predict` on the sample: masks are `[B, 1]`
 * inputs after the modalities. Rows: both present, audio masked.
 */
window.polyfusePlainTfjs = async () => {
  const model = await tf.loadLayersModel('./models/av-digits/model.json');
  const { image, audio } = await sampleModelInputs({ wav: wav!, png: png!, jpeg: jpeg! });
  const batch = (rows: number, values: Float32Array, shape: number[]) => tf.tensor(Float32Array.from({ length: rows * values.length }, (_, i) => values[i % values.length]!), [rows, ...shape]);
  const logits = model.predict([batch(2, image, [28, 28, 1]), batch(2, audio, [40, 32, 1]), tf.tensor2d([[1], [1]]), tf.tensor2d([[1], [0]])]) as tf.Tensor;
  const probabilities = tf.softmax(logits).arraySync() as number[][];
  model.dispose();
  return probabilities;
};
status.textContent = `ready on the ${backend} backend: ${Object.keys(smokeOperations).join(', ')}`;
status.dataset.ready = 'true';
