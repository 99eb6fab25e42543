// Benchmark: start-up time of the `polyfuse` command, what a user waits for
// `--help`, `--version`, an unknown command (`deploy`) and `list fusion` (each a new
// `node packages/cli/bin/polyfuse.js ...` process; the median of N runs).
// Build first: pnpm build ; then: node bench/cli/startup.mjs [runs, default 5]
// `--baseline <bin>` also times another build of the command (an older
// checkout's bin/polyfuse.js), alternating the two so that both see the same load.
// Figures depend on machine load: the load average is printed with them.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const baselineAt = args.indexOf('--baseline');
const baseline = baselineAt >= 0 ? args.splice(baselineAt, 2)[1] : undefined;
const runs = Number(args[0] ?? 5);
const bin = fileURLToPath(new URL('../../packages/cli/bin/polyfuse.js', import.meta.url));
const commands = [['--help'], ['--version'], ['deploy'], ['list', 'fusion']]; // deploy: an unknown command

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Milliseconds and exit code of one `node <bin> ...args` process. */
function time(file, commandArgs) {
  const start = performance.now();
  const { status } = spawnSync(process.execPath, [file, ...commandArgs], { stdio: 'ignore' });
  return { ms: performance.now() - start, status };
}

const summary = (times, status) => `${median(times).toFixed(0).padStart(6)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}; exit ${status})`;

console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, median of ${runs} runs`);
if (baseline) console.log(`${''.padEnd(24)} ${'this build'.padEnd(36)} baseline (${baseline})`);
for (const commandArgs of commands) {
  const current = { times: [], status: undefined };
  const before = { times: [], status: undefined };
  for (let i = 0; i < runs; i++) {
    if (baseline) {
      const b = time(baseline, commandArgs);
      before.times.push(b.ms);
      before.status = b.status;
    }
    const c = time(bin, commandArgs);
    current.times.push(c.ms);
    current.status = c.status;
  }
  const label = `polyfuse ${commandArgs.join(' ')}`.padEnd(24);
  console.log(`${label} ${summary(current.times, current.status).padEnd(36)}${baseline ? ` ${summary(before.times, before.status)}` : ''}`);
}
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
