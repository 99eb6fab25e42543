import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError, InputError } from '@polyfuse/core';
import { writeFileAtomic } from '@polyfuse/core/node';
import type { CommandIo } from '../../../program/commandIo.js';
import { prepareOutputFolder, writingTo } from '../../../run/outputFolder.js';
import type { SweepPlan } from '../../sweepPlan.js';
import { runSlurmCommand } from './slurmCommand.js';
import { validateSlurmOptions } from './slurmOptions.js';
import { arrayIndexList, slurmArrayScript } from './slurmScript.js';
import { readSlurmJobs, slurmJobsFile, type SlurmJobs } from './slurmJobs.js';

export { slurmSweepStatus } from './slurmStatus.js';

/**
 * Submits runs of a sweep to Slurm as one job array: writes
 * `<out>/slurm/sweep.sbatch` (array over exactly `indices`, so a resume
 * re-runs only the runs it names; see slurmArrayScript), submits it with
 * `sbatch --parsable` from `io.cwd`, and appends the job id with its indices
 * to `<out>/slurm/job.json`, which `slurmSweepStatus` reads. Each array task
 * runs `<polyfuseCommand> sweep run <sweep file> --index <i>`, which writes
 * the run's `sweep-status.json`.
 *
 * Throws a ConfigError for a bad `slurm:` section or an index the plan does
 * not have, and a SlurmCommandError when sbatch is not on PATH or refuses the
 * job (its stderr in the message).
 */
export async function submitSlurmSweep(input: { plan: SweepPlan; indices: number[]; polyfuseCommand: string[]; io: CommandIo }): Promise<{ jobId: string; scriptPath: string }> {
  const { plan, indices, polyfuseCommand, io } = input;
  const options = validateSlurmOptions(plan.slurm);
  if (indices.length === 0) throw new ConfigError('submitSlurmSweep: no runs to submit (indices is empty).');
  const known = new Set(plan.runs.map((r) => r.index));
  const unknown = indices.filter((i) => !known.has(i));
  if (unknown.length > 0) {
    throw new ConfigError(`submitSlurmSweep: the sweep '${plan.name}' has no run with index ${unknown.join(', ')} (runs are 0-${plan.runs.length - 1}).`);
  }
  if (polyfuseCommand.length === 0) throw new ConfigError('submitSlurmSweep: polyfuseCommand is empty; pass the command that starts polyfuse, e.g. [process.execPath, <bin/polyfuse.js>].');
  const slurmDir = path.join(plan.outDir, 'slurm');
  await prepareOutputFolder(slurmDir, 'the Slurm job script to', 'or choose another sweep folder');
  const scriptPath = path.join(slurmDir, 'sweep.sbatch');
  const script = slurmArrayScript({ plan, indices, options, polyfuseCommand, logDir: slurmDir, workingDir: io.cwd });
  await writingTo('the Slurm job script', scriptPath, () => writeFileAtomic(scriptPath, script));
  await fs.chmod(scriptPath, 0o755);

  const submitted = await runSlurmCommand('sbatch', ['--parsable', scriptPath], { cwd: io.cwd });
  // --parsable prints "<job id>" or "<job id>;<cluster>".
  const jobId = submitted.stdout.trim().split(';')[0]!;
  if (!/^\d+$/.test(jobId)) throw new InputError(`sbatch --parsable ${scriptPath} printed ${JSON.stringify(submitted.stdout.trim())}, not a job id.`);

  const jobsFile = slurmJobsFile(plan.outDir);
  const jobs: SlurmJobs = await readSlurmJobs(plan.outDir);
  jobs.jobs.push({ jobId, indices: [...indices].sort((a, b) => a - b), script: scriptPath, submittedAt: new Date().toISOString() });
  await writingTo('the Slurm job list', jobsFile, () => writeFileAtomic(jobsFile, `${JSON.stringify(jobs, null, 2)}\n`));
  io.stderr.write(`Submitted Slurm job ${jobId}: array ${arrayIndexList(indices)} (${indices.length} run(s)); logs in ${path.join(slurmDir, `${jobId}_<index>.out`)}\n`);
  return { jobId, scriptPath };
}
