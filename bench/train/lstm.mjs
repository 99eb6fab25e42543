// One training step of a W2-like text model, embedding(5000→64) → LSTM(64),
// last state → dense(10), on [64, 32] ids (forward, softmax cross-entropy,
// backward, Adam lr 1e-3: @polyfuse/trainer's, as W2 and `polyfuse train`), on the wasm backend, with three LSTMs:
//   tf.layers.lstm   what encoder/text-rnn ran before FusedLstm (tfjs defaults: hard-sigmoid gates, one RNN step of ~15 kernels per time step)
//   FusedLstm JS     core's FusedLstm, its JavaScript recurrence (POLYFUSE_WASM_JS_KERNELS=FusedLstm)
//   FusedLstm SIMD   core's FusedLstm with the compiled kernels (wasm/src/lstm.c)
// and, with --pytorch, torch.nn.LSTM in bench/train/pytorch_lstm.py (one thread), run as one more
// process in every round. The variants alternate within every round, in a rotating order, and every
// round is printed: the machine is shared and noisy, so compare the medians.
//   pnpm build && node bench/train/lstm.mjs [--rounds 7] [--steps 10] [--warmup 5] [--pytorch]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf, initBackend, fusedLstm, withSeed, SeededRandom } from '../../packages/core/dist/index.js';
import { Adam } from '../../packages/trainer/dist/index.js';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]?.startsWith('--') ? 'true' : all[i + 1] ?? 'true']] : pairs), []),
);
const rounds = Number(args.rounds ?? 7);
const steps = Number(args.steps ?? 10);
const warmup = Number(args.warmup ?? 5);
const BATCH = 64;
const SEQ_LEN = 32;
const VOCAB = 5000;
const CLASSES = 10;

const backend = await initBackend({ backend: 'wasm', log: null });

function build(makeLstm) {
  return withSeed(1, () => {
    const tokens = tf.input({ shape: [SEQ_LEN], dtype: 'int32' });
    const embedded = tf.layers.embedding({ inputDim: VOCAB, outputDim: 64 }).apply(tokens);
    const state = makeLstm().apply(embedded);
    return tf.model({ inputs: tokens, outputs: tf.layers.dense({ units: CLASSES }).apply(state) });
  });
}

const variants = [
  { name: 'tf.layers.lstm', model: build(() => tf.layers.lstm({ units: 64 })), env: undefined },
  { name: 'FusedLstm JS', model: build(() => fusedLstm({ units: 64 })), env: 'FusedLstm' },
  { name: 'FusedLstm SIMD', model: build(() => fusedLstm({ units: 64 })), env: undefined },
];

const rng = new SeededRandom(1);
const batches = Array.from({ length: 4 }, () => ({
  ids: tf.tensor2d(Int32Array.from({ length: BATCH * SEQ_LEN }, () => rng.int(VOCAB)), [BATCH, SEQ_LEN], 'int32'),
  targets: tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from({ length: BATCH }, () => rng.int(CLASSES)), 'int32'), CLASSES).toFloat()),
}));

for (const v of variants) {
  v.optimizer = new Adam({ learningRate: 1e-3 });
  v.variables = v.model.trainableWeights.map((w) => w.val);
  v.step = 0;
  v.wall = [];
  v.cpu = [];
}

/** One training step: forward, softmax cross-entropy, backward, Adam update. */
function trainStep(v) {
  const { ids, targets } = batches[v.step++ % batches.length];
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(targets, v.model.apply(ids, { training: true })), v.variables);
    v.optimizer.apply(v.variables.map((variable) => ({ key: variable.name, variable, gradient: grads[variable.name] })));
  });
}

/** `steps` training steps of one variant: wall and process-CPU milliseconds per step. */
async function block(v, count) {
  if (v.env) process.env.POLYFUSE_WASM_JS_KERNELS = v.env;
  else delete process.env.POLYFUSE_WASM_JS_KERNELS;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < count; i++) trainStep(v);
  await v.variables[0].data(); // any deferred work finishes inside the block
  const cpu = process.cpuUsage(cpuStart);
  delete process.env.POLYFUSE_WASM_JS_KERNELS;
  return { wall: (performance.now() - started) / count, cpu: (cpu.user + cpu.system) / 1000 / count };
}

const here = dirname(fileURLToPath(import.meta.url));
const pytorch = args.pytorch === 'true' ? { name: 'PyTorch nn.LSTM (1 thread)', wall: [], cpu: [] } : undefined;
function pytorchBlock() {
  const out = execFileSync('/usr/bin/python3', [join(here, 'pytorch_lstm.py'), '--rounds', '1', '--steps', String(steps), '--warmup', String(warmup)], { encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').at(-1));
  return { wall: result.ms_per_step[0], cpu: result.cpu_ms_per_step[0] };
}

console.log(`${backend.name} backend; ${rounds} rounds of ${steps} steps per variant after ${warmup} warm-up steps; batch ${BATCH}, ${SEQ_LEN} steps, embedding ${VOCAB}→64, LSTM 64; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const v of variants) await block(v, warmup);
const format = (ms) => `${ms.toFixed(1)} ms`;
for (let round = 0; round < rounds; round++) {
  const order = [...variants.slice(round % variants.length), ...variants.slice(0, round % variants.length)];
  const line = [];
  for (const v of order) {
    const { wall, cpu } = await block(v, steps);
    v.wall.push(wall);
    v.cpu.push(cpu);
    line.push(`${v.name} ${format(wall)} (cpu ${format(cpu)})`);
  }
  if (pytorch) {
    const { wall, cpu } = pytorchBlock();
    pytorch.wall.push(wall);
    pytorch.cpu.push(cpu);
    line.push(`${pytorch.name} ${format(wall)} (cpu ${format(cpu)})`);
  }
  console.log(`round ${round + 1}: ${line.join(', ')}`);
}

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const reference = variants[0];
console.log('\n| LSTM | ms per training step, median (wall) | each round | process CPU ms per step, median | tf.layers.lstm ÷ this, median of the rounds |');
console.log('| --- | --- | --- | --- | --- |');
for (const v of [...variants, ...(pytorch ? [pytorch] : [])]) {
  // The ratio within each round, where both ran in the same minute, is steadier than the ratio of medians.
  const ratio = median(v.wall.map((wall, round) => reference.wall[round] / wall));
  console.log(`| ${v.name} | ${median(v.wall).toFixed(1)} | ${v.wall.map((w) => w.toFixed(1)).join(', ')} | ${median(v.cpu).toFixed(1)} | ${ratio.toFixed(2)}× |`);
}
console.log(`load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
