// Benchmarks @polyfuse/losses: loss value + gradient, and one computeGradients
// step per weighting strategy. Build first, then run from the repo root:
//   npx tsc -b packages/losses && node bench/losses/losses.mjs [wasm|cpu]
import { tf, initBackend } from '../../packages/core/dist/index.js';
import {
  crossEntropyLoss,
  bceWithLogitsLoss,
  sigmoidFocalLoss,
  clipContrastiveLoss,
  sequenceCrossEntropy,
  mseLoss,
} from '../../packages/losses/dist/index.js';
import { registry } from '../../packages/core/dist/index.js';

const backend = process.argv[2] ?? 'wasm';
await initBackend({ backend, log: null });

function time(label, fn, repeats = 20) {
  for (let i = 0; i < 3; i++) fn();
  const start = performance.now();
  for (let i = 0; i < repeats; i++) fn();
  const ms = (performance.now() - start) / repeats;
  console.log(`${label.padEnd(58)} ${ms.toFixed(2).padStart(8)} ms`);
}

const valueAndGrad = (loss, ...args) => () => {
  const { value, grads } = tf.valueAndGrads(loss)(args);
  value.dataSync();
  tf.dispose([value, ...grads]);
};

console.log(`backend: ${tf.getBackend()}, tfjs ${tf.version.tfjs}`);
const logits = tf.randomNormal([256, 1000], 0, 3, 'float32', 1);
const classes = tf.randomUniform([256], 0, 1000, 'int32', 2);
time('crossEntropyLoss [256, 1000] value+grad', valueAndGrad((x) => crossEntropyLoss(x, classes), logits));
time(
  'crossEntropyLoss [256, 1000] labelSmoothing 0.1 value+grad',
  valueAndGrad((x) => crossEntropyLoss(x, classes, { labelSmoothing: 0.1 }), logits),
);
const multi = tf.randomNormal([256, 100], 0, 3, 'float32', 3);
const multiTarget = tf.randomUniform([256, 100], 0, 1, 'float32', 4).round();
time('bceWithLogitsLoss [256, 100] value+grad', valueAndGrad((x) => bceWithLogitsLoss(x, multiTarget), multi));
time(
  'sigmoidFocalLoss [256, 100] value+grad',
  valueAndGrad((x) => sigmoidFocalLoss(x, multiTarget, { reduction: 'mean' }), multi),
);
const a = tf.randomNormal([256, 512], 0, 1, 'float32', 5);
const b = tf.randomNormal([256, 512], 0, 1, 'float32', 6);
time('clipContrastiveLoss [256, 512] value+grad (a, b, scale)', valueAndGrad((x, y, s) => clipContrastiveLoss(x, y, s), a, b, tf.scalar(14.3)));
const seqLogits = tf.randomNormal([32, 20, 5000], 0, 1, 'float32', 7);
const seqTargets = tf.randomUniform([32, 20], 0, 5000, 'int32', 8);
time('sequenceCrossEntropy [32, 20, 5000] value+grad', valueAndGrad((x) => sequenceCrossEntropy(x, seqTargets), seqLogits), 5);

// One weighting step: two regression terms on a shared 256 -> 256 layer with a head each.
const init = (shape, seed, name) => tf.variable(tf.randomNormal(shape, 0, 0.05, 'float32', seed), true, name);
const shared = init([256, 256], 10, 'bench_shared');
const headA = init([256, 1], 11, 'bench_head_a');
const headB = init([256, 1], 12, 'bench_head_b');
const x = tf.randomNormal([128, 256], 0, 1, 'float32', 13);
const yA = tf.randomNormal([128, 1], 0, 1, 'float32', 14);
const yB = tf.randomNormal([128, 1], 0, 1, 'float32', 15);
const terms = {
  a: () => mseLoss(tf.relu(x.matMul(shared)).matMul(headA), yA),
  b: () => mseLoss(tf.relu(x.matMul(shared)).matMul(headB), yB),
};
const context = {
  variables: [shared, headA, headB],
  sharedVariables: [shared],
  modalityVariables: { image: [headA], text: [headB] },
  modalityScores: { image: 40, text: 20 },
  step: 0,
  epoch: 0,
};
for (const name of ['static', 'uncertainty', 'dwa', 'gradnorm', 'pcgrad', 'mgda', 'ogm-ge']) {
  const strategy = registry.create('weighting', name, {});
  const before = tf.memory().numTensors;
  time(`weighting/${name}: computeGradients, 2 terms, 66k shared params`, () => {
    tf.dispose(Object.values(strategy.computeGradients(terms, context).grads));
  });
  const leaked = tf.memory().numTensors - before - strategy.variables.length;
  if (leaked !== 0) console.log(`  (tensor count changed by ${leaked})`);
}
