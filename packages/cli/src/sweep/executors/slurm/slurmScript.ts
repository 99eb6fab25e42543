import type { SweepPlan } from '../../sweepPlan.js';
import type { SlurmOptions } from './slurmOptions.js';

/**
 * Slurm's `--array` list for these indices, consecutive ones as ranges:
 * `[0, 1, 2, 3]` → `0-3`, `[0, 2, 5, 6, 7]` → `0,2,5-7`. The array task id is
 * the run index itself, so a resume submits exactly the runs it lists.
 */
export function arrayIndexList(indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Quotes a word for bash: as is when it is plainly safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** An `#SBATCH` option value: sbatch reads double quotes in these lines, so a path with spaces survives. */
function sbatchValue(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * The sbatch script of a sweep: a job array over `indices` (throttled to
 * `maxParallel` at once), one log per task in `<logDir>/<job>_<index>.out`,
 * resources from the sweep file's `slurm:` section, its setup lines, then
 * `<polyfuse> sweep run <sweep file> --index $SLURM_ARRAY_TASK_ID`. The job
 * starts in `workingDir` and inherits the submitting shell's environment
 * (sbatch's default `--export=ALL`), so PATH and POLYFUSE_BACKEND carry over.
 */
export function slurmArrayScript(input: { plan: SweepPlan; indices: readonly number[]; options: SlurmOptions; polyfuseCommand: readonly string[]; logDir: string; workingDir: string }): string {
  const { plan, indices, options, polyfuseCommand, logDir, workingDir } = input;
  const throttle = options.maxParallel !== undefined ? `%${options.maxParallel}` : '';
  const jobName = `polyfuse-${plan.name}`.replace(/[^\w.-]+/g, '_');
  const sbatch: string[] = [
    `--job-name=${jobName}`,
    `--array=${arrayIndexList(indices)}${throttle}`,
    `--output=${sbatchValue(`${logDir}/%A_%a.out`)}`,
    `--chdir=${sbatchValue(workingDir)}`,
    `--ntasks=1`,
    `--cpus-per-task=${options.cpusPerTask}`,
    ...(options.memory !== undefined ? [`--mem=${options.memory}`] : []),
    ...(options.time !== undefined ? [`--time=${options.time}`] : []),
    ...(options.partition !== undefined ? [`--partition=${options.partition}`] : []),
    ...(options.account !== undefined ? [`--account=${options.account}`] : []),
    ...options.extra,
  ];
  const command = [...polyfuseCommand, 'sweep', 'run', plan.sweepFile].map(shellQuote).join(' ');
  return [
    '#!/bin/bash',
    `# Written by polyfuse sweep for '${plan.name}': ${indices.length} of ${plan.runs.length} run(s) of ${plan.sweepFile}.`,
    plan.kind === 'predict' ? '# Each array task predicts one shard: its index is the run index of the sweep plan.' : '# Each array task trains one run: its index is the run index of the sweep plan.',
    ...sbatch.map((option) => `#SBATCH ${option}`),
    '',
    'set -euo pipefail',
    ...options.setup,
    `exec ${command} --index "$SLURM_ARRAY_TASK_ID"`,
    '',
  ].join('\n');
}
