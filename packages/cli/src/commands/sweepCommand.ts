import path from 'node:path';
import { ConfigError } from '@polyfuse/core';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';
import { exitCodes } from '../program/exitCodes.js';
import { loadSweepWithBase } from '../sweep/loadSweep.js';
import { sweepExecutors, type SweepExecutor, type SweepPlan } from '../sweep/sweepPlan.js';
import { indicesToResume, readRunStatuses, type RunStateEntry } from '../sweep/status/runStatus.js';
import { writeSweepPlan } from '../sweep/writeSweepPlan.js';
import { defaultParallel } from '../sweep/defaultParallel.js';
import { polyfuseCommand } from '../sweep/polyfuseCommand.js';
import { describeOverrides } from '../sweep/expand/checkOverrides.js';
import { varyingPaths } from '../sweep/expand/runIds.js';
import { runLocalSweep } from '../sweep/executors/local/localExecutor.js';
import { clusterStates, submitToCluster } from '../sweep/executors/clusterExecutors.js';
import { describeMerge, mergeSweepShards } from '../sweep/predict/mergeSweepShards.js';

export interface SweepCommandOptions extends GlobalOptions {
  executor?: string;
  parallel?: number;
  resume?: boolean;
  dryRun?: boolean;
}

/**
 * `polyfuse sweep <sweep.yaml>`: expands the sweep, checks every run's config,
 * writes `<out>/sweep.json` and runs the runs on the executor (`--executor`,
 * else the file's `executor:`): local child processes, a Slurm job array, or
 * a Kubernetes Indexed Job manifest. `--resume` runs only the missing,
 * failed and stale runs; without it a sweep folder that already holds runs
 * is refused, so finished work is never trained over by accident.
 *
 * A predict sweep (`kind: predict`) runs one shard of a prediction per run;
 * on the local executor the shard files are merged into its output once
 * every shard is done (on a cluster, `polyfuse sweep report` merges).
 */
export async function sweepCommand(file: string, options: SweepCommandOptions, io: CommandIo): Promise<number> {
  if (options.executor !== undefined && !(sweepExecutors as readonly string[]).includes(options.executor)) {
    throw new ConfigError(`--executor must be one of ${sweepExecutors.join(', ')}, got '${options.executor}'.`);
  }
  const { plan, sweep } = await loadSweepWithBase(path.resolve(io.cwd, file));
  const executor = (options.executor ?? plan.executor) as SweepExecutor;
  if (options.dryRun) {
    io.stdout.write(`${dryRunText(plan, executor)}\n`);
    return exitCodes.ok;
  }
  const states = await withClusterStates(plan, await readRunStatuses(plan), executor);
  const started = states.filter((s) => s.state !== 'missing');
  if (!options.resume && started.length > 0) {
    throw new ConfigError(
      `${plan.outDir} already holds ${started.length} of the ${plan.runs.length} runs of this sweep (${countStates(started)}). ` +
        'Run again with --resume to run only the missing and failed ones, or delete the folder to start over.',
    );
  }
  const indices = options.resume ? indicesToResume(states) : plan.runs.map((r) => r.index);
  if (indices.length === 0) {
    io.stderr.write(`Nothing to resume: ${countStates(states)}.\n`);
    if (plan.kind === 'predict' && executor === 'local') io.stderr.write(`${describeMerge(await mergeSweepShards(plan, states), plan.sweepFile, io.cwd)}\n`);
    return exitCodes.ok;
  }
  await writeSweepPlan(plan);
  if (options.resume) io.stderr.write(`Resuming ${indices.length} of ${plan.runs.length} runs: ${indices.map((i) => plan.runs[i]!.id).join(', ')}\n`);
  if (executor !== 'local') {
    for (const line of await submitToCluster(executor, { plan, indices, polyfuseCommand: polyfuseCommand(), io })) io.stdout.write(`${line}\n`);
    if (plan.kind === 'predict') io.stdout.write(`Merge the shards once they are done with: polyfuse sweep report ${path.relative(io.cwd, plan.sweepFile) || plan.sweepFile}\n`);
    return exitCodes.ok;
  }
  const parallel = options.parallel ?? plan.parallel ?? defaultParallel(sweep);
  io.stderr.write(`Sweep ${plan.name}: ${indices.length} run(s), ${Math.min(parallel, indices.length)} at once, in ${plan.outDir}\n`);
  const globalArgs = [...(options.backend ? ['--backend', options.backend] : []), ...(options.verbose ? ['--verbose'] : [])];
  const result = await runLocalSweep({ plan, indices, parallel, polyfuseCommand: polyfuseCommand(), globalArgs, io });
  const failed = result.runs.filter((r) => r.state === 'failed');
  const notDone = result.runs.filter((r) => r.state !== 'done');
  const relativeFile = path.relative(io.cwd, plan.sweepFile) || plan.sweepFile;
  if (failed.length > 0) {
    io.stderr.write(`${failed.length} run(s) failed: ${failed.map((r) => `${r.id} (exit ${r.exitCode}; log ${path.join(plan.runs[r.index]!.outDir, 'sweep.log')})`).join(', ')}\n`);
  }
  if (notDone.length > 0) io.stderr.write(`${result.runs.length - notDone.length} of ${result.runs.length} run(s) done. Run the others with: polyfuse sweep ${relativeFile} --resume\n`);
  else if (plan.kind === 'predict') {
    // Every shard of the plan, not only this call's: a resume merges the shards done before it too.
    const merge = await mergeSweepShards(plan, await readRunStatuses(plan));
    io.stderr.write(`All ${result.runs.length} run(s) done. ${describeMerge(merge, plan.sweepFile, io.cwd)}\n`);
    if (!merge.merged) return exitCodes.failure;
  } else io.stderr.write(`All ${result.runs.length} run(s) done. Compare them with: polyfuse sweep report ${relativeFile}\n`);
  return result.exitCode;
}

/**
 * The file system's states checked with the cluster's scheduler, where the
 * executor has one: a run shown `running` that the scheduler no longer has is
 * stale, and a run with no status file yet that the scheduler still has
 * (waiting in the queue) counts as running, so `--resume` submits neither twice.
 */
export async function withClusterStates(plan: SweepPlan, states: RunStateEntry[], executor: SweepExecutor): Promise<RunStateEntry[]> {
  if (!states.some((s) => s.state === 'running' || s.state === 'missing')) return states;
  const scheduler = await clusterStates(executor, plan);
  if (!scheduler) return states;
  return states.map((s) => {
    const active = scheduler.get(s.index)?.active;
    if (s.state === 'running' && active === false) return { ...s, state: 'stale' as const };
    if (s.state === 'missing' && active === true) return { ...s, state: 'running' as const };
    return s;
  });
}

/** `3 done, 1 failed`. */
export function countStates(states: { state: string }[]): string {
  const counts = new Map<string, number>();
  for (const { state } of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
}

/** The plan as `--dry-run` prints it: what every run shares once, then each run's id and the overrides that vary (a predict sweep: its shard). */
function dryRunText(plan: SweepPlan, executor: SweepExecutor): string {
  if (plan.kind === 'predict') {
    const section = plan.predict!;
    const options = [section.beam !== undefined ? `--beam ${section.beam}` : '', section.query !== undefined ? `--query ${section.query}` : '', section.top !== undefined ? `--top ${section.top}` : '', section.batchSize !== undefined ? `(batches of ${section.batchSize})` : ''].filter(Boolean);
    return [
      `Sweep ${plan.name}: ${plan.runs.length} shard run(s) on ${executor}, in ${plan.outDir}`,
      `every run: polyfuse predict ${section.run} --manifest ${section.manifest} --output ${section.output}${options.length ? ` ${options.join(' ')}` : ''}`,
      ...plan.runs.map((run) => `${run.id}  --shard ${run.shard!.index}/${run.shard!.count} -> ${path.basename(run.shard!.file)}`),
      `then merged into ${section.output}`,
    ].join('\n');
  }
  const varying = new Set(varyingPaths(plan.runs.map((r) => r.overrides)));
  const pick = (overrides: Record<string, unknown>, vary: boolean): Record<string, unknown> => Object.fromEntries(Object.entries(overrides).filter(([p]) => varying.has(p) === vary));
  const shared = plan.runs.length > 0 ? pick(plan.runs[0]!.overrides, false) : {};
  const lines = plan.runs.map((run) => `${run.id}  ${describeOverrides(pick(run.overrides, true))}`);
  return [
    `Sweep ${plan.name}: ${plan.runs.length} run(s) on ${executor}, in ${plan.outDir}`,
    ...(Object.keys(shared).length > 0 ? [`every run: ${describeOverrides(shared)}`] : []),
    ...lines,
  ].join('\n');
}
