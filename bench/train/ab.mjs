// A/B of one workload under two environments, interleaved (A, B, B, A, A, B, ...)
// so that both sides see the same drift of a shared machine, each run in its
// own process (worker.mjs). Prints every round and the medians.
//   node bench/train/ab.mjs --workload W2 --rounds 6 --b POLYFUSE_WASM_JS_KERNELS=all [--a NAME=value] [--blocks 5 --steps 10 --warmup 5] [--replicas 2]
// W3 runs w3.mjs (--batches 20 --epochs 4) instead of worker.mjs.
// Defaults: A is the environment as it is (compiled SIMD kernels on), B turns them all off.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const workload = args.workload ?? 'W1';
const rounds = Number(args.rounds ?? 6);
const parseEnv = (text) => Object.fromEntries(text ? text.split(',').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]) : []);
const sides = { A: parseEnv(args.a), B: parseEnv(args.b ?? 'POLYFUSE_WASM_JS_KERNELS=all') };
const [script, scriptArgs] =
  workload === 'W3'
    ? ['./w3.mjs', ['--batches', args.batches ?? '20', '--epochs', args.epochs ?? '4']]
    : ['./worker.mjs', ['--workload', workload, '--warmup', args.warmup ?? '5', '--blocks', args.blocks ?? '5', '--steps', args.steps ?? '10', '--replicas', args.replicas ?? '1', '--predict', 'false']];

const measure = (side) => {
  const out = execFileSync(process.execPath, [new URL(script, import.meta.url).pathname, ...scriptArgs], {
    env: { ...process.env, ...sides[side] },
    encoding: 'utf8',
    timeout: 600_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.trim().split('\n').at(-1));
};

console.log(`${workload}: A = ${JSON.stringify(sides.A)}, B = ${JSON.stringify(sides.B)}; load average at start ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
const results = { A: [], B: [] };
for (let round = 0; round < rounds; round++) {
  for (const side of round % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
    const r = measure(side);
    results[side].push(r);
    console.log(`round ${round + 1} ${side}: ${r.samples_per_s} samples/s, ${r.samples_per_cpu_s} samples/CPU-s`);
  }
}
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const side of ['A', 'B']) {
  const wall = median(results[side].map((r) => r.samples_per_s));
  const cpu = median(results[side].map((r) => r.samples_per_cpu_s));
  console.log(`${side}: median ${wall} samples/s, ${cpu} samples/CPU-s`);
}
const ratio = (key) => (median(results.A.map((r) => r[key])) / median(results.B.map((r) => r[key]))).toFixed(2);
console.log(`A/B: ${ratio('samples_per_s')}× wall, ${ratio('samples_per_cpu_s')}× CPU; load average at end ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
