// Parameter count and time per training step of each fusion, on two 64-d
// pooled embeddings (flatten encoders), batch 64, 10 classes, MLP head [64].
// Run: npx tsc -b packages/fusion && node bench/fusion/fusionStep.mjs [backend]
import { tf, initBackend, createMultimodalModel } from '../../packages/core/dist/index.js';
import '../../packages/fusion/dist/index.js';

const backend = await initBackend({ backend: process.argv[2] ?? 'auto', log: null });
const fusions = [
  ['early', {}], ['concat', { units: 64 }], ['sum', { units: 64 }], ['weighted', { units: 64 }], ['attention', {}],
  ['gated', {}], ['film', {}], ['tensor', {}], ['low-rank', {}], ['cross-modal-transformer', {}], ['late', { units: 10 }],
];
const batch = 64;
const inputs = { image: tf.randomNormal([batch, 64], 0, 1, 'float32', 1), audio: tf.randomNormal([batch, 64], 0, 1, 'float32', 2) };
const labels = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 3), 10).cast('float32');
console.log(`backend ${backend.name}; batch ${batch}; two 64-d embeddings`);
console.log('fusion | fusion params | total params | ms / train step | ms / inference');
for (const [name, config] of fusions) {
  const model = createMultimodalModel({
    encoders: { image: { name: 'flatten', config: { inputShape: [64] } }, audio: { name: 'flatten', config: { inputShape: [64] } } },
    fusion: { name, config },
    head: name === 'late' ? { name: 'identity' } : { name: 'mlp', config: { hiddenUnits: [64], units: 10 } },
  });
  const optimizer = tf.train.adam(0.001);
  const step = () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.call({ inputs }, { training: true }).logits), false, model.trainableVariables());
  for (let i = 0; i < 3; i++) step();
  const steps = 20;
  let start = performance.now();
  for (let i = 0; i < steps; i++) step();
  const train = (performance.now() - start) / steps;
  start = performance.now();
  for (let i = 0; i < steps; i++) model.predict({ inputs }).dispose();
  const infer = (performance.now() - start) / steps;
  const counts = model.parameterCounts();
  console.log(`${name} | ${counts.fusion ?? 0} | ${counts.total} | ${train.toFixed(1)} | ${infer.toFixed(1)}`);
  model.dispose();
}
