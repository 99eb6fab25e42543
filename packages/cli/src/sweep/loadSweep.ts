import path from 'node:path';
import '../registerPackages.js';
import { expandOverrides } from './expand/expandOverrides.js';
import { runIds } from './expand/runIds.js';
import { checkOverrides } from './expand/checkOverrides.js';
import { readSweepFile, type SweepFile } from './sweepFile.js';
import type { SweepPlan } from './sweepPlan.js';

export interface LoadSweepOptions {
  /**
   * Validate every run's config (override paths and values) now. Default
   * true; `sweep run` checks only its own run, as it builds that config.
   */
  check?: boolean;
}

/**
 * Reads a sweep file and expands it into its plan: every run with its index,
 * stable id, overrides and run folder. The same file always gives the same
 * plan; with `check` (the default) a bad override fails here, before any run.
 */
export async function loadSweep(file: string, options: LoadSweepOptions = {}): Promise<SweepPlan> {
  return (await loadSweepWithBase(file, options)).plan;
}

/** `loadSweep`, also returning the sweep file with its base config (what a run's config is built from). */
export async function loadSweepWithBase(file: string, options: LoadSweepOptions = {}): Promise<{ plan: SweepPlan; sweep: SweepFile }> {
  const sweepFile = path.resolve(file);
  const sweep = await readSweepFile(sweepFile);
  const sets = expandOverrides({ ...(sweep.set ? { set: sweep.set } : {}), ...(sweep.grid ? { grid: sweep.grid } : {}), ...(sweep.runs ? { runs: sweep.runs } : {}), ...(sweep.folds !== undefined ? { folds: sweep.folds } : {}) });
  const ids = runIds(sets);
  const runs = sets.map((overrides, index) => ({ index, id: ids[index]!, overrides, outDir: path.join(sweep.outDir, 'runs', ids[index]!) }));
  if (options.check !== false) await checkOverrides(sweep, runs);
  const plan: SweepPlan = {
    name: sweep.name,
    sweepFile,
    outDir: sweep.outDir,
    runs,
    executor: sweep.executor,
    ...(sweep.parallel !== undefined ? { parallel: sweep.parallel } : {}),
    ...(sweep.slurm !== undefined ? { slurm: sweep.slurm } : {}),
    ...(sweep.kubernetes !== undefined ? { kubernetes: sweep.kubernetes } : {}),
  };
  return { plan, sweep };
}
