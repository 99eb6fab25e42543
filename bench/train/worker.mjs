// Measures one (workload, backend) pair in its own process, so peak memory is
// its own, and prints one JSON line. Run by run.mjs; usable alone:
//   node bench/train/worker.mjs --workload W1 --backend wasm [--replicas 2] [--blocks 5 --steps 4 --warmup 3]
// --replicas N trains data-parallel in N threads (@polyfuse/trainer's runReplicas).
import { tf } from '../../packages/core/dist/index.js';
import { runReplicas } from '../../packages/trainer/dist/node.js';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const workload = args.workload ?? 'W1';
const backend = args.backend ?? 'wasm';
const warmup = Number(args.warmup ?? 3);
const blocks = Number(args.blocks ?? 5);
const steps = Number(args.steps ?? 4);

const replicas = Number(args.replicas ?? 1);

const peakRss = { value: process.memoryUsage().rss };
const sampleRss = () => (peakRss.value = Math.max(peakRss.value, process.memoryUsage().rss));

const outcomes = await runReplicas({
  replicas,
  module: new URL('./replica.mjs', import.meta.url),
  data: { workload, backend, warmup, blocks, steps },
});
const [{ model, backend: chosen, rates, cpuRates, tensorsPerBlock, rssPerBlock, steps: totalSteps }] = outcomes;
peakRss.value = Math.max(peakRss.value, ...rssPerBlock.map((mb) => mb * 2 ** 20));
if (new Set(outcomes.map((o) => o.checksum)).size !== 1) throw new Error(`Replicas ended with different weights: ${outcomes.map((o) => o.checksum).join(', ')}`);
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const result = {
  workload,
  impl: replicas > 1 ? `polyfuse-${chosen}-dp${replicas}` : `polyfuse-${chosen}`,
  samples_per_s: Math.round(median(rates) * 10) / 10,
  // Samples per second of this process's CPU time (all threads): steadier than wall time on a busy machine.
  samples_per_cpu_s: Math.round(median(cpuRates) * 10) / 10,
  peak_rss_mb: Math.round(sampleRss() / 2 ** 20),
  replicas,
  steps: totalSteps,
  rss_mb_per_block: rssPerBlock,
  tensors_per_block: tensorsPerBlock,
};

if (workload === 'W1' && args.predict !== 'false') {
  // Prediction: latency of one sample (median of 20 after 3 warm-up calls, as pytorch_workloads.py) and throughput at batch 256.
  const one = [tf.zeros([1, 28, 28, 1]), tf.zeros([1, 40, 32, 1])];
  const many = [tf.zeros([256, 28, 28, 1]), tf.zeros([256, 40, 32, 1])];
  const predict = async (inputs) => {
    const out = tf.tidy(() => model.predict(inputs));
    await out.data();
    out.dispose();
  };
  /** Median ms of 20 one-sample predictions after `warmup` untimed ones (the 11th of 20 sorted, as pytorch_workloads.py takes). */
  const latency = async (warmup) => {
    for (let i = 0; i < warmup; i++) await predict(one);
    const times = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      await predict(one);
      times.push(performance.now() - start);
    }
    return Math.round(times.sort((a, b) => a - b)[10] * 100) / 100;
  };
  result.predict_latency_ms = await latency(3);
  await predict(many);
  const start = performance.now();
  for (let i = 0; i < 3; i++) await predict(many);
  result.predict_samples_per_s_b256 = Math.round((3 * 256) / ((performance.now() - start) / 1000));
  // The same after 200 more calls: V8 optimizes the JavaScript of a path (here LayersModel.predict's)
  // only once it has run often, which an application that predicts repeatedly reaches in its first
  // tenth of a second. PyTorch's path is compiled C++, so its 3-call figure is already warm.
  result.predict_latency_warm_ms = await latency(200);
}
result.peak_rss_mb = Math.round(sampleRss() / 2 ** 20);
console.log(JSON.stringify(result));
