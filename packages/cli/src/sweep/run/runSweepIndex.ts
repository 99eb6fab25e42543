import path from 'node:path';
import { ConfigError } from '@polyfuse/core';
import { exists } from '../../run/runFolder.js';
import { exitCodes } from '../../program/exitCodes.js';
import { prepareOutputFolder } from '../../run/outputFolder.js';
import { trainInFolder } from '../../training/trainInFolder.js';
import type { CommandIo, GlobalOptions } from '../../program/commandIo.js';
import { loadSweepWithBase } from '../loadSweep.js';
import { readRunStatus, startingStatus, writeRunStatus } from '../status/runStatus.js';
import { runConfigOf } from './runConfigOf.js';
import { predictShard } from '../predict/predictShard.js';

/**
 * Runs one index of a sweep: the entry point every executor starts (a local
 * child process, a Slurm array task, a Kubernetes pod), so a run is the same
 * whichever engine runs it. It trains `<out>/runs/<id>` exactly as
 * `polyfuse train --config <base with overrides> --out <that folder>` would,
 * continuing from the run's last checkpoint when an earlier attempt left one
 * (a stopped or failed run that `--resume` starts again). The run's
 * `sweep-status.json` says `running` while it trains, then `done` (training,
 * evaluation and report finished) or `failed` with the exit code and error.
 * A predict sweep's run predicts its shard instead (see predictShard) and is
 * `done` once its shard file is written, with the predictions and skipped
 * lines counted in its status.
 */
export async function runSweepIndex(file: string, index: number, options: GlobalOptions, io: CommandIo): Promise<number> {
  const { plan, sweep } = await loadSweepWithBase(path.resolve(io.cwd, file), { check: false });
  const run = plan.runs[index];
  if (!run) throw new ConfigError(`--index ${index} is out of range: ${plan.sweepFile} has ${plan.runs.length} run(s), indices 0 to ${plan.runs.length - 1}.`);
  const previous = await readRunStatus(run.outDir);
  const status = startingStatus(run.index, run.id);
  let code: number = exitCodes.failure;
  let error: string | undefined;
  let counts: { predictions: number; skipped: number } | undefined;
  try {
    // The status is written before the config is built, so a run whose config fails reads as failed, not missing.
    await prepareOutputFolder(run.outDir, 'the run folder', `or choose another out: in ${plan.sweepFile}`);
    await writeRunStatus(run.outDir, status);
    if (plan.kind === 'predict') {
      io.stderr.write(`Sweep ${plan.name}: shard ${run.shard!.index} of ${run.shard!.count} (${run.id})\n`);
      const summary = await predictShard(plan, run, options, io);
      counts = { predictions: summary.predictions, skipped: summary.skipped };
      code = exitCodes.ok;
      return code;
    }
    const config = await runConfigOf(sweep, run);
    const resume = previous?.state !== 'done' && (await exists(path.join(run.outDir, config.training.checkpointDir, 'last', 'model.json')));
    io.stderr.write(`Sweep ${plan.name}: run ${run.index} (${run.id})${resume ? ', continuing from its last checkpoint' : ''}\n`);
    code = await trainInFolder(config, { ...options, outDir: run.outDir, advice: `or choose another out: in ${plan.sweepFile}`, resume }, io);
    if (code === exitCodes.interrupted || code === exitCodes.terminated) error = `stopped by ${code === exitCodes.interrupted ? 'SIGINT' : 'SIGTERM'} after saving a checkpoint; --resume continues it`;
    else if (code === exitCodes.ok && !(await exists(path.join(run.outDir, 'evaluation.json')))) {
      code = exitCodes.failure;
      error = 'training ended without evaluation.json';
    }
    return code;
  } catch (thrown) {
    error = (thrown as Error).message ?? String(thrown);
    code = thrown instanceof ConfigError ? exitCodes.usage : exitCodes.failure;
    throw thrown;
  } finally {
    const finished = { ...status, state: code === exitCodes.ok ? ('done' as const) : ('failed' as const), exitCode: code, finishedAt: new Date().toISOString(), ...(error ? { error } : {}), ...(counts ?? {}) };
    await writeRunStatus(run.outDir, finished).catch(() => undefined);
  }
}
