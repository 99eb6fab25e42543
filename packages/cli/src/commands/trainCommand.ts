import path from 'node:path';
import { loadConfig } from '../config/loadConfig.js';
import { trainRun } from '../training/trainRun.js';
import { writeReport } from '../report/writeReport.js';
import { createProgress } from '../program/progress.js';
import { startBackend } from '../program/startBackend.js';
import { exitCodes } from '../program/exitCodes.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';

export interface TrainCommandOptions extends GlobalOptions {
  config: string;
  out?: string;
  resume?: boolean;
  report?: boolean;
  /** Data-parallel threads; overrides the config's `training.replicas`. */
  replicas?: number;
}

/**
 * `polyfuse train`: trains from a config into a run folder, then evaluates
 * and writes the report. The first Ctrl-C finishes the current step, saves
 * a checkpoint that `--resume` continues exactly, and exits 130; a second one
 * quits at once.
 */
export async function trainCommand(options: TrainCommandOptions, io: CommandIo): Promise<number> {
  const config = await loadConfig(path.resolve(io.cwd, options.config));
  await startBackend(options, io, config.backend);
  const outDir = path.resolve(io.cwd, options.out ?? path.join('runs', config.name));
  const progress = createProgress(io.stderr, { quiet: options.quiet ?? false });
  const stop = new AbortController();
  const onSigint = (): void => {
    if (stop.signal.aborted) process.exit(exitCodes.interrupted);
    stop.abort();
    io.stderr.write('\nStopping after this step to save a checkpoint (Ctrl-C again to quit now)...\n');
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await trainRun(config, { outDir, resume: options.resume ?? false, progress, signal: stop.signal, ...(options.replicas ? { replicas: options.replicas } : {}) });
    if (result.interrupted) return exitCodes.interrupted;
    if (options.report !== false) {
      const report = await writeReport(outDir);
      progress.log(`Report: ${report.html}`);
    }
    progress.log(`Model: ${path.join(outDir, 'model')}`);
    return exitCodes.ok;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
