// pnpm bench:train — trains issue 9's workloads for a fixed number of steps
// after warm-up, on each available polyfuse backend and in PyTorch, each in
// its own process; prints a table and one JSON line per measurement.
// Needs `pnpm build` first (imports packages' dist). See bench/README.md.
// The pure-JS cpu backend takes minutes per W1 step here: opt in with POLYFUSE_BENCH_BACKENDS=node,wasm,cpu.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const python = process.env.POLYFUSE_BENCH_PYTHON ?? '/usr/bin/python3';
const workloads = (process.env.POLYFUSE_BENCH_WORKLOADS ?? 'W1,W2,W3').split(',');
const backends = (process.env.POLYFUSE_BENCH_BACKENDS ?? 'node,wasm').split(',');
// Data-parallel rows (impl polyfuse-<backend>-dp<N>): wasm computes on one core, so N threads train N replicas.
const replicas = Number(process.env.POLYFUSE_BENCH_REPLICAS ?? availableParallelism());
// The cpu backend is pure JavaScript and far slower: fewer timed steps keep the run short.
// Every implementation, PyTorch included, gets the same protocol: 10 warm-up steps, then the median of 9 blocks
// of 10 steps. Shorter blocks (0.1-0.3 s) measured mostly noise on this 2-core VM.
const protocol = ['--warmup', '10', '--blocks', '9', '--steps', '10'];
const stepsFor = { node: protocol, wasm: protocol, cpu: ['--warmup', '1', '--blocks', '3', '--steps', '1'] };
// W3 (the av-digits app end to end, data loading included) has its own scripts: w3.mjs and pytorch_w3.py.
const w3Args = { node: [], wasm: [], cpu: ['--batches', '2', '--epochs', '2'] };
const polyfuseCommand = (workload, backend) =>
  workload === 'W3' ? [`${here}w3.mjs`, '--backend', backend, ...w3Args[backend]] : [`${here}worker.mjs`, '--workload', workload, '--backend', backend, ...stepsFor[backend]];
const pytorchCommand = (workload) => (workload === 'W3' ? [`${here}pytorch_w3.py`] : [`${here}pytorch_workloads.py`, '--workload', workload, ...protocol]);

function runJson(command, args, env = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
  const line = (result.stdout ?? '').trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (result.status !== 0 || !line) {
    const lines = ((result.stderr ?? '') + (result.error?.message ?? '')).trim().split('\n');
    return { error: lines.find((l) => /Error: /.test(l)) ?? lines.pop() };
  }
  return JSON.parse(line);
}

const unavailable = new Set();

/** Every implementation of one workload, one after the other. */
function measureWorkload(workload) {
  const results = [];
  for (const backend of backends) {
    if (unavailable.has(`${workload}/${backend}`)) continue;
    const r = runJson(process.execPath, polyfuseCommand(workload, backend));
    if (r.error) {
      console.error(`skip ${workload} polyfuse-${backend}: ${r.error}`);
      unavailable.add(`${workload}/${backend}`); // said once, not again in later rounds
    } else results.push(r);
    if (backend === 'wasm' && replicas > 1 && !r.error) {
      const parallel = runJson(process.execPath, [...polyfuseCommand(workload, backend), '--replicas', String(replicas)]);
      if (parallel.error) console.error(`skip ${workload} polyfuse-${backend}-dp${replicas}: ${parallel.error}`);
      else results.push(parallel);
    }
  }
  if (hasTorch) {
    const r = runJson(python, pytorchCommand(workload));
    if (r.error) console.error(`skip ${workload} pytorch: ${r.error}`);
    else results.push(r);
    // PyTorch's default uses every core, which on this 2-core VM is often slower than one thread: measure both.
    if (availableParallelism() > 1) {
      const single = runJson(python, [...pytorchCommand(workload), '--threads', '1']);
      if (single.error) console.error(`skip ${workload} pytorch-1thread: ${single.error}`);
      else results.push({ ...single, impl: 'pytorch-1thread' });
    }
  }
  return results;
}

const hasTorch = existsSync(python) && runJson(python, ['-c', 'import torch, json; print(json.dumps({}))']).error === undefined;
if (!hasTorch) console.error(`skip pytorch: ${python} with torch not found (Debian: apt-get install python3-torch)`);
// Throughput on this VM drifts by up to 2x between minutes (other tenants of the host), so every workload is
// measured in several interleaved rounds and each figure is the median over rounds.
const rounds = Number(process.env.POLYFUSE_BENCH_ROUNDS ?? 3);
const runs = [];
for (let round = 0; round < rounds; round++) for (const workload of workloads) runs.push(...measureWorkload(workload));

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = [];
for (const run of runs) {
  const group = results.find((r) => r.workload === run.workload && r.impl === run.impl);
  if (group) group.all.push(run);
  else results.push({ workload: run.workload, impl: run.impl, all: [run] });
}
for (const r of results) {
  const field = (name) => r.all.map((x) => x[name]).filter((v) => v !== undefined);
  r.samples_per_s = median(field('samples_per_s'));
  r.rounds = field('samples_per_s');
  r.peak_rss_mb = Math.max(...field('peak_rss_mb'));
  if (field('cold_samples_per_s').length) r.cold_samples_per_s = median(field('cold_samples_per_s'));
  if (field('predict_latency_ms').length) r.predict_latency_ms = median(field('predict_latency_ms'));
  if (field('predict_latency_warm_ms').length) r.predict_latency_warm_ms = median(field('predict_latency_warm_ms'));
  if (field('predict_samples_per_s_b256').length) r.predict_samples_per_s_b256 = median(field('predict_samples_per_s_b256'));
}

// The ratio is against the faster PyTorch configuration of the workload (all cores or one thread).
const torch = {};
for (const r of results.filter((r) => r.impl.startsWith('pytorch'))) torch[r.workload] = Math.max(torch[r.workload] ?? 0, r.samples_per_s);
console.log(`\nmedian of ${rounds} rounds (each round's figure in brackets)`);
console.log('workload  impl               samples/s  vs best pytorch  peak RSS MB  predict 1 (ms)  after 200 calls (ms)  predict b256 (samples/s)  rounds');
for (const r of results) {
  const ratio = torch[r.workload] ? (r.samples_per_s / torch[r.workload]).toFixed(2) : '-';
  console.log(
    `${r.workload.padEnd(9)} ${r.impl.padEnd(18)} ${String(r.samples_per_s).padStart(9)}  ${ratio.padStart(15)}  ${String(r.peak_rss_mb).padStart(11)}  ${String(r.predict_latency_ms ?? '-').padStart(14)}  ${String(r.predict_latency_warm_ms ?? '-').padStart(20)}  ${String(r.predict_samples_per_s_b256 ?? '-').padStart(24)}  [${r.rounds.join(', ')}]`,
  );
}
console.log('');
for (const r of results) {
  const cold = r.cold_samples_per_s === undefined ? {} : { cold_samples_per_s: r.cold_samples_per_s }; // W3's first epoch (decoding included)
  console.log(JSON.stringify({ workload: r.workload, impl: r.impl, samples_per_s: r.samples_per_s, ...cold, peak_rss_mb: r.peak_rss_mb, rounds: r.rounds }));
}
