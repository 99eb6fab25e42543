import path from 'node:path';
import { ConfigError } from '@polyfuse/core';
import { loadConfig } from '../config/loadConfig.js';
import { parseAllowedChanges } from '../config/configChanges.js';
import { trainRun } from '../training/trainRun.js';
import { writeReport } from '../report/writeReport.js';
import { createProgress } from '../program/progress.js';
import { startBackend } from '../program/startBackend.js';
import { exitCodes } from '../program/exitCodes.js';
import { prepareOutputFolder, writingTo } from '../run/outputFolder.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';

export interface TrainCommandOptions extends GlobalOptions {
  config: string;
  out?: string;
  resume?: boolean;
  /**
   * With `resume`: config fields that may differ from the run's (see
   * `resumeSafeFields`), as a list or as the option's comma-separated text.
   */
  allowConfigChange?: string[] | string;
  report?: boolean;
  /** Data-parallel threads; overrides the config's `training.replicas`. */
  replicas?: number;
}

/** The signals that stop training after a checkpoint, and the exit code of each (128 + its number). */
const stopSignals = { SIGINT: exitCodes.interrupted, SIGTERM: exitCodes.terminated } as const;

/**
 * `polyfuse train`: trains from a config into a run folder, then evaluates
 * and writes the report. The run folder is created and checked writable
 * first, so a place that cannot hold it fails at once. The first Ctrl-C
 * (SIGINT) or SIGTERM (what container runtimes and job schedulers send)
 * finishes the current step, saves a checkpoint that `--resume` continues
 * exactly, and exits 130 or 143; a second one quits at once.
 */
export async function trainCommand(options: TrainCommandOptions, io: CommandIo): Promise<number> {
  if (options.allowConfigChange && !options.resume) throw new ConfigError('--allow-config-change applies to --resume only: a new run takes its config as it is.');
  const allowConfigChanges = typeof options.allowConfigChange === 'string' ? parseAllowedChanges(options.allowConfigChange) : options.allowConfigChange;
  const config = await loadConfig(path.resolve(io.cwd, options.config));
  const outDir = path.resolve(io.cwd, options.out ?? path.join('runs', config.name));
  const advice = options.out ? 'or choose another --out' : 'or choose a run folder with --out';
  await prepareOutputFolder(outDir, 'the run folder', advice);
  await startBackend(options, io, config.backend);
  const progress = createProgress(io.stderr, { quiet: options.quiet ?? false });
  const stop = new AbortController();
  let stoppedBy: keyof typeof stopSignals | undefined;
  const handlers = Object.fromEntries(
    (Object.keys(stopSignals) as (keyof typeof stopSignals)[]).map((signal) => [
      signal,
      (): void => {
        if (stop.signal.aborted) process.exit(stopSignals[stoppedBy ?? signal]);
        stoppedBy = signal;
        stop.abort();
        const again = signal === 'SIGINT' ? 'Ctrl-C again' : 'SIGTERM again';
        io.stderr.write(`\n${signal === 'SIGINT' ? '' : 'Received SIGTERM. '}Stopping after this step to save a checkpoint (${again} to quit now)...\n`);
      },
    ]),
  ) as Record<keyof typeof stopSignals, () => void>;
  for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
  try {
    const result = await writingTo(
      'the run folder',
      outDir,
      async () => {
        const trained = await trainRun(config, {
          outDir,
          resume: options.resume ?? false,
          progress,
          signal: stop.signal,
          ...(allowConfigChanges ? { allowConfigChanges } : {}),
          ...(options.replicas ? { replicas: options.replicas } : {}),
        });
        if (!trained.interrupted && options.report !== false) {
          const report = await writeReport(outDir);
          progress.log(`Report: ${report.html}`);
        }
        return trained;
      },
      advice,
    );
    if (result.interrupted) return stopSignals[stoppedBy ?? 'SIGINT'];
    progress.log(`Model: ${path.join(outDir, 'model')}`);
    return exitCodes.ok;
  } finally {
    for (const [signal, handler] of Object.entries(handlers)) process.off(signal, handler);
  }
}
