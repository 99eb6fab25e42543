import type { CommandIo } from '../../../program/commandIo.js';
import type { SweepPlan } from '../../sweepPlan.js';
import { readRunStatuses } from '../../status/runStatus.js';
import { runSlurmCommand, SlurmCommandError } from './slurmCommand.js';
import { readSlurmJobs } from './slurmJobs.js';

/** One run's state as Slurm and its status file tell it. */
export interface SlurmRunState {
  /**
   * `pending`, `running` (or another squeue state, lowercased) while Slurm
   * holds the task; `done`, `failed`, `cancelled`, `timeout`, `out_of_memory`,
   * ... once it ended (sacct, else the run's sweep-status.json); `missing`
   * when the run never started.
   */
  state: string;
  /** Why: squeue's reason for a pending task, the exit code, or where the state was read. */
  reason?: string;
  /** The Slurm job (`<job>_<index>`) the state is from, when Slurm knows the run. */
  jobId?: string;
}

/**
 * Each run's state for `polyfuse sweep status` on Slurm, by run index.
 * Tasks still queued or running come from `squeue` (one line per array task,
 * with the reason a pending one waits); finished ones from `sacct`. Where
 * the cluster keeps no accounting (sacct: "accounting storage is disabled")
 * or sacct is missing, it says so once on `io.stderr` and falls back to the
 * runs' `sweep-status.json`: a run whose file says `running` but that Slurm
 * no longer lists was killed (time limit, scancel, node failure) and reads as
 * `failed`. Later submissions (resumes) override earlier ones for the runs
 * they include.
 */
export async function slurmSweepStatus(plan: SweepPlan, options: { io?: CommandIo } = {}): Promise<Map<number, SlurmRunState>> {
  const { jobs } = await readSlurmJobs(plan.outDir);
  const states = new Map<number, SlurmRunState>();
  const files = await readRunStatuses(plan);
  const jobIds = jobs.map((j) => j.jobId);

  // Finished first, so what squeue says (still there) wins.
  const accounted = jobIds.length > 0 ? await sacctStates(jobIds) : { states: new Map<string, { index: number; state: SlurmRunState }[]>() };
  if (accounted.note) options.io?.stderr.write(`note: ${accounted.note}; run states come from squeue and the runs' sweep-status.json.\n`);
  const queued = jobIds.length > 0 ? await squeueStates(jobIds) : new Map<string, { index: number; state: SlurmRunState }[]>();

  for (const entry of files) {
    if (entry.state === 'missing') states.set(entry.index, { state: 'missing', reason: 'no sweep-status.json (never started, or started without finishing its first step)' });
    else if (entry.state === 'stale') states.set(entry.index, { state: 'failed', reason: `its process (${entry.status?.host}:${entry.status?.pid}) is gone` });
    else states.set(entry.index, { state: entry.state, reason: entry.status?.exitCode !== null && entry.status?.exitCode !== undefined ? `exit code ${entry.status.exitCode}` : 'from sweep-status.json' });
  }
  for (const jobId of jobIds) {
    for (const { index, state } of accounted.states.get(jobId) ?? []) states.set(index, state);
  }
  const live = new Set<number>();
  for (const jobId of jobIds) {
    for (const { index, state } of queued.get(jobId) ?? []) {
      states.set(index, state);
      live.add(index);
    }
  }
  // Without accounting, a status file that still says running for a task Slurm no longer lists was killed.
  if (accounted.note) {
    for (const entry of files) {
      if (entry.state === 'running' && !live.has(entry.index)) {
        states.set(entry.index, { state: 'failed', reason: `sweep-status.json says running since ${entry.status?.startedAt}, but Slurm no longer lists the task (time limit, scancel or node failure)` });
      }
    }
  }
  return states;
}

/** `<job>_<index>` → [job, index]; undefined for a whole array (`<job>_[0-3]`) or a step (`<job>_0.batch`). */
function arrayTask(id: string): [string, number] | undefined {
  const match = /^(\d+)_(\d+)$/.exec(id.trim());
  return match ? [match[1]!, Number(match[2])] : undefined;
}

/** Tasks Slurm still holds, per job id: `squeue --array` lists each array task on its own line. */
async function squeueStates(jobIds: string[]): Promise<Map<string, { index: number; state: SlurmRunState }[]>> {
  // --me rather than --jobs: --jobs fails for a job id that has left the queue.
  const { stdout } = await runSlurmCommand('squeue', ['--me', '--noheader', '--array', '--format=%i|%T|%r']);
  const wanted = new Set(jobIds);
  const byJob = new Map<string, { index: number; state: SlurmRunState }[]>();
  for (const line of stdout.split('\n')) {
    const [id = '', state = '', reason = ''] = line.split('|');
    const task = arrayTask(id);
    if (!task || !wanted.has(task[0])) continue;
    const entry: SlurmRunState = { state: state.toLowerCase(), jobId: id.trim(), ...(reason && reason !== 'None' ? { reason } : {}) };
    byJob.set(task[0], [...(byJob.get(task[0]) ?? []), { index: task[1], state: entry }]);
  }
  return byJob;
}

/** Finished tasks per job id from sacct, or a note saying why sacct could not tell. */
async function sacctStates(jobIds: string[]): Promise<{ states: Map<string, { index: number; state: SlurmRunState }[]>; note?: string }> {
  const byJob = new Map<string, { index: number; state: SlurmRunState }[]>();
  let stdout: string;
  try {
    ({ stdout } = await runSlurmCommand('sacct', ['--noheader', '--parsable2', '--allocations', `--jobs=${jobIds.join(',')}`, '--format=JobID,State,ExitCode']));
  } catch (error) {
    if (!(error instanceof SlurmCommandError)) throw error;
    if (error.notFound) return { states: byJob, note: 'sacct is not on PATH' };
    if (/accounting storage is disabled/i.test(error.message)) return { states: byJob, note: 'this cluster keeps no job accounting (sacct: "Slurm accounting storage is disabled")' };
    return { states: byJob, note: `sacct failed (${error.message})` };
  }
  for (const line of stdout.split('\n')) {
    const [id = '', rawState = '', exitCode = ''] = line.split('|');
    const task = arrayTask(id);
    if (!task) continue;
    // "CANCELLED by 0" → cancelled; exit code "1:0" is <code>:<signal>.
    const slurmState = rawState.split(' ')[0]!.toLowerCase();
    if (slurmState === 'pending' || slurmState === 'running' || slurmState === '') continue; // squeue tells these, with reasons
    const state = slurmState === 'completed' ? 'done' : slurmState;
    byJob.set(task[0], [...(byJob.get(task[0]) ?? []), { index: task[1], state: { state, jobId: id, reason: `exit code ${exitCode}` } }]);
  }
  return { states: byJob };
}
