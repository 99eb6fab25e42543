import type { CommandIo } from '../../program/commandIo.js';
import type { SweepExecutor, SweepPlan } from '../sweepPlan.js';
import { existsSync } from 'node:fs';
import { submitSlurmSweep, slurmSweepStatus } from './slurm/slurmExecutor.js';
import { slurmJobsFile } from './slurm/slurmJobs.js';
import { writeKubernetesJob } from './kubernetes/kubernetesExecutor.js';

/** Slurm states in which a task still holds (or waits for) a node: its run is not stale. */
const activeSlurmStates = new Set(['pending', 'running', 'configuring', 'completing', 'suspended', 'requeued', 'resizing', 'stage_out', 'signaling']);

/**
 * Hands runs to a cluster executor: Slurm submits a job array
 * (`submitSlurmSweep`), Kubernetes writes an Indexed Job manifest to apply
 * (`writeKubernetesJob`; polyfuse never runs kubectl). Returns what to tell the user.
 */
export async function submitToCluster(executor: Exclude<SweepExecutor, 'local'>, input: { plan: SweepPlan; indices: number[]; polyfuseCommand: string[]; io: CommandIo }): Promise<string[]> {
  if (executor === 'slurm') {
    const { jobId, scriptPath } = await submitSlurmSweep(input);
    return [`Slurm job ${jobId} (${input.indices.length} run(s)); script ${scriptPath}`, `Follow it with: polyfuse sweep status ${input.plan.sweepFile}`];
  }
  const { manifestPath } = await writeKubernetesJob({ plan: input.plan, indices: input.indices, io: input.io });
  return [`Kubernetes Indexed Job manifest: ${manifestPath}`, `Follow it with: polyfuse sweep status ${input.plan.sweepFile}`];
}

/**
 * What a cluster's scheduler says of each run, where one can be asked (Slurm:
 * the sweep's executor, or jobs submitted with --executor slurm); undefined otherwise.
 */
export async function clusterStates(executor: SweepExecutor, plan: SweepPlan, io?: CommandIo): Promise<Map<number, { state: string; reason?: string; active: boolean }> | undefined> {
  if (executor !== 'slurm' && !existsSync(slurmJobsFile(plan.outDir))) return undefined;
  const states = await slurmSweepStatus(plan, io ? { io } : {});
  return new Map([...states].map(([index, s]) => [index, { ...s, active: activeSlurmStates.has(s.state) }]));
}
