import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '@polyfuse/core/node';
import type { SweepPlan, SweepRun } from '../sweepPlan.js';

/** What `polyfuse sweep run` writes into its run folder as it starts and ends. */
export interface RunStatus {
  index: number;
  id: string;
  state: 'running' | 'done' | 'failed';
  /** The process's exit code once it ended (130 / 143 when stopped by a signal after a checkpoint). */
  exitCode: number | null;
  host: string;
  /** Process id on `host`, for telling a live run from one whose process died. */
  pid: number;
  /** ISO 8601 times. */
  startedAt: string;
  finishedAt: string | null;
  error?: string;
  /** Predict sweeps: predictions written to the shard file, and the shard's manifest lines skipped as bad samples. */
  predictions?: number;
  skipped?: number;
}

/** A run's state as the sweep sees it: its status file's, `missing` without one, `stale` when it says running but its process is gone. */
export type RunState = RunStatus['state'] | 'missing' | 'stale';

export interface RunStateEntry {
  index: number;
  id: string;
  state: RunState;
  outDir: string;
  status?: RunStatus;
}

export const statusFileName = 'sweep-status.json';

/** Writes `<runDir>/sweep-status.json` atomically (temporary file, then rename). */
export async function writeRunStatus(runDir: string, status: RunStatus): Promise<void> {
  await writeFileAtomic(path.join(runDir, statusFileName), `${JSON.stringify(status, null, 2)}\n`);
}

/** The run's status file, or undefined when there is none (or it is unreadable: the run counts as missing). */
export async function readRunStatus(runDir: string): Promise<RunStatus | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(runDir, statusFileName), 'utf8')) as RunStatus;
  } catch {
    return undefined;
  }
}

/** A new status of this process for a run that starts now. */
export function startingStatus(index: number, id: string): RunStatus {
  return { index, id, state: 'running', exitCode: null, host: os.hostname(), pid: process.pid, startedAt: new Date().toISOString(), finishedAt: null };
}

/**
 * Each run's state, in plan order. `done` also needs the run's
 * evaluation.json, or a predict sweep's shard file (a status without it
 * reads as `missing`, so a deleted result is run again by `--resume`). A `running` run
 * on this host whose process is gone is `stale`; on another host this
 * cannot be told from here, so it stays `running` and a cluster executor's
 * status reader decides (the scheduler knows).
 */
export async function readRunStatuses(plan: SweepPlan): Promise<RunStateEntry[]> {
  return Promise.all(
    plan.runs.map(async (run) => {
      const status = await readRunStatus(run.outDir);
      const entry = { index: run.index, id: run.id, outDir: run.outDir };
      if (!status) return { ...entry, state: 'missing' as const };
      if (status.state === 'done' && !(await fileExists(resultFile(run)))) return { ...entry, state: 'missing' as const, status };
      if (status.state === 'running' && status.host === os.hostname() && !processAlive(status.pid)) return { ...entry, state: 'stale' as const, status };
      return { ...entry, state: status.state, status };
    }),
  );
}

/** The file a done run leaves: a training run's evaluation.json, a predict shard's shard file (written atomically, so whole). */
export function resultFile(run: SweepRun): string {
  return run.shard?.file ?? path.join(run.outDir, 'evaluation.json');
}

/** The indices `--resume` runs again: missing, failed and stale runs. */
export function indicesToResume(states: RunStateEntry[]): number[] {
  return states.filter((s) => s.state === 'missing' || s.state === 'failed' || s.state === 'stale').map((s) => s.index);
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function fileExists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}
