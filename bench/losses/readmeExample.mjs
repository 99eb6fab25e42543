// The README's opening example, kept runnable: node bench/losses/readmeExample.mjs (after npx tsc -b packages/losses)
import { tf, initBackend, registry } from '../../packages/core/dist/index.js';
import { crossEntropyLoss, mseLoss } from '../../packages/losses/dist/index.js';

await initBackend({ log: null });
const w = tf.variable(tf.randomNormal([4, 3], 0, 0.1, 'float32', 1), true, 'w');
const x = tf.randomNormal([8, 4], 0, 1, 'float32', 2);
const labels = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
const strategy = registry.create('weighting', 'gradnorm', { alpha: 1.5 });
const optimizer = tf.train.adam(0.01);
const { grads, losses, weights, total } = strategy.computeGradients(
  {
    classify: () => crossEntropyLoss(x.matMul(w), labels, { labelSmoothing: 0.1 }),
    regress: () => mseLoss(x.matMul(w).sum(1), x.sum(1)),
  },
  { variables: [w], step: 0, epoch: 0 },
);
optimizer.applyGradients(grads); // updates w and GradNorm's own weights
console.log(losses, weights, total);
