import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '@polyfuse/core';

/** One submission of a sweep to Slurm: its job id and the run indices of its array. */
export interface SlurmJob {
  jobId: string;
  indices: number[];
  script: string;
  submittedAt: string;
}

/** `<out>/slurm/job.json`: every submission of the sweep, oldest first (a resume appends one). */
export interface SlurmJobs {
  jobs: SlurmJob[];
}

export function slurmJobsFile(sweepDir: string): string {
  return path.join(sweepDir, 'slurm', 'job.json');
}

/** The sweep's Slurm submissions; none when it was never submitted. */
export async function readSlurmJobs(sweepDir: string): Promise<SlurmJobs> {
  const file = slurmJobsFile(sweepDir);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { jobs: [] };
    throw new InputError(`Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  try {
    const parsed = JSON.parse(text) as SlurmJobs;
    if (!Array.isArray(parsed.jobs)) throw new Error('no jobs array');
    return parsed;
  } catch (error) {
    throw new InputError(`${file} is not the job list polyfuse writes (${(error as Error).message}); delete it to forget earlier submissions.`);
  }
}
