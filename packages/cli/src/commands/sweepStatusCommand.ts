import path from 'node:path';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';
import { exitCodes } from '../program/exitCodes.js';
import { formatDuration } from '../program/progress.js';
import { loadSweep } from '../sweep/loadSweep.js';
import { readRunStatuses } from '../sweep/status/runStatus.js';
import { clusterStates } from '../sweep/executors/clusterExecutors.js';
import { countStates } from './sweepCommand.js';

export interface SweepStatusCommandOptions extends GlobalOptions {
  json?: boolean;
}

/**
 * `polyfuse sweep status <sweep.yaml>`: one line per run with its state
 * (from its sweep-status.json: done, failed, running, stale when its process
 * on this host is gone, missing when it never started), host, time taken and
 * error; on Slurm also what the scheduler says (pending and why, running,
 * cancelled, timeout, ...). Exit code 0 whatever the runs' states.
 */
export async function sweepStatusCommand(file: string, options: SweepStatusCommandOptions, io: CommandIo): Promise<number> {
  const plan = await loadSweep(path.resolve(io.cwd, file), { check: false });
  const states = await readRunStatuses(plan);
  const scheduler = await clusterStates(plan.executor, plan, io);
  if (options.json) {
    const runs = states.map((s) => ({ index: s.index, id: s.id, state: s.state, ...(s.status ? { status: s.status } : {}), ...(scheduler?.get(s.index) ? { scheduler: scheduler.get(s.index) } : {}) }));
    io.stdout.write(`${JSON.stringify({ name: plan.name, outDir: plan.outDir, runs }, null, 2)}\n`);
    return exitCodes.ok;
  }
  const idWidth = Math.max(...states.map((s) => s.id.length));
  const lines = states.map((s) => {
    const status = s.status;
    const seconds = status ? ((status.finishedAt ? Date.parse(status.finishedAt) : Date.now()) - Date.parse(status.startedAt)) / 1000 : undefined;
    const slurm = scheduler?.get(s.index);
    return [
      s.id.padEnd(idWidth),
      s.state.padEnd(7),
      status ? status.host : '',
      seconds !== undefined ? formatDuration(seconds) : '',
      slurm ? `slurm: ${slurm.state}${slurm.reason ? ` (${slurm.reason})` : ''}` : '',
      status?.error ? `error: ${status.error.split('\n')[0]}` : '',
    ].filter((part, i) => i < 2 || part !== '').join('  ').trimEnd();
  });
  io.stdout.write(`Sweep ${plan.name} (${plan.outDir}): ${countStates(states)}\n${lines.join('\n')}\n`);
  return exitCodes.ok;
}
