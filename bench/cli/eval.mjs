// Benchmark: what `polyfuse eval` costs beside `polyfuse predict` on the same
// rows, the figures a user feels (issue 19). Each command is a new process
// (start-up included), timed N times in turn; the median is printed.
//   node bench/cli/eval.mjs [run folder] [runs, default 3]
// The default run is apps/av-digits/runs/fused (train it with
// `bash scripts/av-digits.sh`); its test split is 2,000 rows. `predict` reads
// as many rows (the first ones of the run's manifest; the cost does not depend
// on which rows) from a manifest this script writes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'packages/cli/bin/polyfuse.js');
const run = path.resolve(process.argv[2] ?? path.join(root, 'apps/av-digits/runs/fused'));
const runs = Number(process.argv[3] ?? 3);
if (!existsSync(path.join(run, 'evaluation.json'))) {
  console.error(`No trained run at ${run} (no evaluation.json). Train one first, e.g. bash scripts/av-digits.sh, or pass a run folder.`);
  process.exit(2);
}

// As many manifest rows as the test split has, as a manifest of their own with paths made absolute.
const evaluation = JSON.parse(readFileSync(path.join(run, 'evaluation.json'), 'utf8'));
const config = JSON.parse(readFileSync(path.join(run, 'config.json'), 'utf8'));
const manifestPath = path.resolve(path.dirname(config.configPath ?? run), config.data.manifest);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'polyfuse-bench-eval-'));
const manifestDir = path.dirname(manifestPath);
const rows = readFileSync(manifestPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).slice(0, evaluation.count);
const absolute = (value) => (typeof value === 'string' && !path.isAbsolute(value) && existsSync(path.join(manifestDir, value)) ? path.join(manifestDir, value) : value);
writeFileSync(path.join(tmp, 'test.jsonl'), rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, absolute(v)])))).join('\n') + '\n');

const commands = [
  { name: 'eval (contribution + robustness)', args: ['eval', run, '-q'] },
  { name: 'eval --no-extras', args: ['eval', run, '-q', '--no-extras'] },
  { name: `predict --manifest (${rows.length} rows)`, args: ['predict', run, '-q', '--manifest', path.join(tmp, 'test.jsonl'), '-o', path.join(tmp, 'out.json')] },
  { name: 'start-up (--version)', args: ['--version'] },
];
const times = commands.map(() => []);
for (let r = 0; r < runs; r++) {
  commands.forEach((command, i) => {
    const start = performance.now();
    const result = spawnSync(process.execPath, [bin, ...command.args], { encoding: 'utf8' });
    if (result.status !== 0) {
      console.error(`${command.name} failed (exit ${result.status}):\n${result.stderr}`);
      process.exit(1);
    }
    times[i].push((performance.now() - start) / 1000);
  });
}
rmSync(tmp, { recursive: true, force: true });
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(`polyfuse eval and predict on ${run} (test split: ${evaluation.count} rows), ${runs} runs each, ${new Date().toISOString()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}\n`);
console.log('| command | median s | each run s |');
console.log('| --- | --- | --- |');
commands.forEach((c, i) => console.log(`| ${c.name} | ${median(times[i]).toFixed(1)} | ${times[i].map((t) => t.toFixed(1)).join(', ')} |`));
