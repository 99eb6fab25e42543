// Training-step throughput of @polyfuse/trainer on the two-modality test model
// (dense encoders with dropout, concat fusion, main + two unimodal heads), by
// weighting strategy, plus the live-tensor count over the run (must be flat).
// Build first:  npx tsc -b packages/trainer
// Run:  node bench/trainer/step.mjs [backend=wasm]
import { initBackend, tf } from '../../packages/core/dist/index.js';
import { crossEntropyLoss, PCGrad, UncertaintyWeighting } from '../../packages/losses/dist/index.js';
import { Trainer, Adam } from '../../packages/trainer/dist/index.js';
import { memorySource, tinyModel, tinySamples } from '../../packages/trainer/dist/testing/tinyTask.js';

const backend = process.argv[2] ?? 'wasm';
await initBackend({ backend, log: null });
const loss = (p, t) => crossEntropyLoss(p, t);
const terms = [
  { name: 'main', loss },
  { name: 'aux_a', loss, output: 'logits_a' },
  { name: 'aux_b', loss, output: 'logits_b' },
];
const samples = tinySamples(2048, 1);
console.log(`backend ${backend}; batch 64, ${samples.length / 64} steps per epoch, 3 loss terms`);
for (const [label, make] of [
  ['sum of terms (default)', () => undefined],
  ['uncertainty', () => new UncertaintyWeighting()],
  ['PCGrad (3 backward passes)', () => new PCGrad({ seed: 1 })],
]) {
  const trainer = new Trainer({ model: tinyModel(1), losses: terms, optimizer: new Adam({ learningRate: 1e-3 }), weighting: make() });
  const counts = [];
  trainer.callbacks.push({ name: 'count', onEpochEnd: () => void counts.push(tf.memory().numTensors) });
  await trainer.fit(memorySource(samples, 64), { epochs: 1 }); // warm-up
  const start = performance.now();
  const result = await trainer.fit(memorySource(samples, 64), { epochs: 4 });
  const seconds = (performance.now() - start) / 1000;
  const steps = result.steps - 32;
  console.log(`${label}: ${(steps / seconds).toFixed(1)} steps/s (${((seconds / steps) * 1000).toFixed(2)} ms/step); live tensors after each epoch: ${counts.join(', ')}`);
  trainer.dispose();
  trainer.model.dispose();
}
