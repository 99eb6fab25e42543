// Measures one (workload, backend) pair in its own process, so peak memory is
// its own, and prints one JSON line. Run by run.mjs; usable alone:
//   node bench/train/worker.mjs --workload W1 --backend wasm [--blocks 5 --steps 4 --warmup 3]
import { tf, initBackend, withSeed } from '../../packages/core/dist/index.js';
import { builders, makeBatches, BATCH } from './workloads.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const workload = args.workload ?? 'W1';
const backend = args.backend ?? 'wasm';
const warmup = Number(args.warmup ?? 3);
const blocks = Number(args.blocks ?? 5);
const steps = Number(args.steps ?? 4);

const peakRss = { value: process.memoryUsage().rss };
const sampleRss = () => (peakRss.value = Math.max(peakRss.value, process.memoryUsage().rss));

const choice = await initBackend({ backend, log: null });
const model = withSeed(1, builders[workload]);
const optimizer = tf.train.adam(1e-3);
const variables = model.trainableWeights.map((w) => w.val);
const batches = makeBatches(workload, 4);

/** One training step: forward, softmax cross-entropy, backward, Adam update; no read-back. */
function trainStep({ inputs, targets }) {
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(targets, model.apply(inputs, { training: true })), variables);
    optimizer.applyGradients(grads);
  });
}

let step = 0;
const next = () => batches[step++ % batches.length];
for (let i = 0; i < warmup; i++) trainStep(next());
await tf.tensor1d([0]).data(); // drain

const rates = [];
const cpuRates = [];
const rssPerBlock = [];
const tensorsPerBlock = [];
for (let b = 0; b < blocks; b++) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < steps; i++) trainStep(next());
  // Read one weight back so any deferred work is finished inside the timed block.
  await variables[0].data();
  rates.push((steps * BATCH) / ((performance.now() - start) / 1000));
  const cpu = process.cpuUsage(cpuStart);
  cpuRates.push((steps * BATCH) / ((cpu.user + cpu.system) / 1e6));
  rssPerBlock.push(Math.round(sampleRss() / 2 ** 20));
  tensorsPerBlock.push(tf.memory().numTensors);
}
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const result = {
  workload,
  impl: `polyfuse-${choice.name}`,
  samples_per_s: Math.round(median(rates) * 10) / 10,
  // Samples per second of this process's CPU time: steadier than wall time on a busy machine.
  samples_per_cpu_s: Math.round(median(cpuRates) * 10) / 10,
  peak_rss_mb: Math.round(peakRss.value / 2 ** 20),
  steps: warmup + blocks * steps,
  rss_mb_per_block: rssPerBlock,
  tensors_per_block: tensorsPerBlock,
};

if (workload === 'W1' && args.predict !== 'false') {
  // Prediction: latency of one sample (median of 20) and throughput at batch 256.
  const one = [tf.zeros([1, 28, 28, 1]), tf.zeros([1, 40, 32, 1])];
  const many = [tf.zeros([256, 28, 28, 1]), tf.zeros([256, 40, 32, 1])];
  const predict = async (inputs) => {
    const out = tf.tidy(() => model.predict(inputs));
    await out.data();
    out.dispose();
  };
  for (let i = 0; i < 3; i++) await predict(one);
  const latencies = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await predict(one);
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  await predict(many);
  const start = performance.now();
  for (let i = 0; i < 3; i++) await predict(many);
  result.predict_latency_ms = Math.round(latencies[10] * 100) / 100;
  result.predict_samples_per_s_b256 = Math.round((3 * 256) / ((performance.now() - start) / 1000));
}
result.peak_rss_mb = Math.round(sampleRss() / 2 ** 20);
console.log(JSON.stringify(result));
