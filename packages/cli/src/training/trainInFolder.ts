import path from 'node:path';
import type { RunConfig } from '../config/runConfig.js';
import { trainRun } from './trainRun.js';
import { writeReport } from '../report/writeReport.js';
import { createProgress } from '../program/progress.js';
import { startBackend } from '../program/startBackend.js';
import { exitCodes } from '../program/exitCodes.js';
import { prepareOutputFolder, writingTo } from '../run/outputFolder.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';

export interface TrainInFolderOptions extends GlobalOptions {
  /** Absolute run folder. */
  outDir: string;
  /** Said after a failed write: what the user can do instead (`or choose another --out`). */
  advice: string;
  resume?: boolean;
  allowConfigChanges?: string[];
  /** False skips the HTML report. */
  report?: boolean;
  replicas?: number;
}

/** The signals that stop training after a checkpoint, and the exit code of each (128 + its number). */
const stopSignals = { SIGINT: exitCodes.interrupted, SIGTERM: exitCodes.terminated } as const;

/**
 * Trains a loaded config into a run folder, evaluates it and writes its
 * report: the body of `polyfuse train`, shared with `polyfuse sweep run` so a
 * sweep's run is exactly a `train`. The run folder is created and checked
 * writable first, so a place that cannot hold it fails at once. The first
 * Ctrl-C (SIGINT) or SIGTERM (what container runtimes and job schedulers
 * send) finishes the current step, saves a checkpoint that `--resume`
 * continues exactly, and returns 130 or 143; a second one quits at once.
 */
export async function trainInFolder(config: RunConfig, options: TrainInFolderOptions, io: CommandIo): Promise<number> {
  const { outDir, advice } = options;
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
          ...(options.allowConfigChanges ? { allowConfigChanges: options.allowConfigChanges } : {}),
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
