// Where does a training step's time go? Runs a few steps under tf.profile and
// prints kernel time by kernel name (composed kernels such as our
// Conv2DBackpropFilter include the kernels they call, which appear too,
// marked as nested).
//   node bench/train/profile.mjs --workload W1 --backend wasm
import { tf, initBackend, withSeed } from '../../packages/core/dist/index.js';
import { builders, makeBatches } from './workloads.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const workload = args.workload ?? 'W1';
await initBackend({ backend: args.backend ?? 'wasm', log: null });
const model = withSeed(1, builders[workload]);
const optimizer = tf.train.adam(1e-3);
const variables = model.trainableWeights.map((w) => w.val);
const [batch] = makeBatches(workload, 1);
const step = () =>
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(batch.targets, model.apply(batch.inputs, { training: true })), variables);
    optimizer.applyGradients(grads);
  });
step();
step();
const steps = Number(args.steps ?? 3);
const started = performance.now();
const profile = await tf.profile(() => {
  for (let i = 0; i < steps; i++) step();
});
const wall = (performance.now() - started) / steps;
const byName = new Map();
for (const k of profile.kernels) {
  const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
  const entry = byName.get(key) ?? { ms: 0, calls: 0 };
  entry.ms += k.kernelTimeMs / steps;
  entry.calls += 1 / steps;
  byName.set(key, entry);
}
const rows = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms);
console.log(`${workload} one step: ${wall.toFixed(1)} ms wall under the profiler, ${profile.kernels.length / steps} kernel calls`);
for (const [key, { ms, calls }] of rows.slice(0, Number(args.top ?? 25))) console.log(`${ms.toFixed(2).padStart(9)} ms  x${calls.toFixed(0).padStart(4)}  ${key}`);
