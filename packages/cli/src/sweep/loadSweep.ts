import path from 'node:path';
import '../registerPackages.js';
import { expandOverrides } from './expand/expandOverrides.js';
import { runIds } from './expand/runIds.js';
import { checkOverrides } from './expand/checkOverrides.js';
import { readSweepFile, type SweepFile } from './sweepFile.js';
import { shardRuns } from './predict/shardRuns.js';
import { checkPredictPaths } from './predict/predictSection.js';
import type { SweepPlan } from './sweepPlan.js';

export interface LoadSweepOptions {
  /**
   * Validate every run's config (override paths and values), or a predict
   * sweep's run folder and manifest, now. Default true; `sweep run` checks
   * only its own run, as it builds that config.
   */
  check?: boolean;
}

/**
 * Reads a sweep file and expands it into its plan: every run with its index,
 * stable id, overrides and run folder (a predict sweep: one run per shard).
 * The same file always gives the same plan; with `check` (the default) a bad
 * override, or a predict sweep's missing run folder or manifest, fails here,
 * before any run.
 */
export async function loadSweep(file: string, options: LoadSweepOptions = {}): Promise<SweepPlan> {
  return (await loadSweepWithBase(file, options)).plan;
}

/** `loadSweep`, also returning the sweep file with its base config (what a run's config is built from). */
export async function loadSweepWithBase(file: string, options: LoadSweepOptions = {}): Promise<{ plan: SweepPlan; sweep: SweepFile }> {
  const sweepFile = path.resolve(file);
  const sweep = await readSweepFile(sweepFile);
  const common = {
    name: sweep.name,
    sweepFile,
    outDir: sweep.outDir,
    executor: sweep.executor,
    ...(sweep.parallel !== undefined ? { parallel: sweep.parallel } : {}),
    ...(sweep.slurm !== undefined ? { slurm: sweep.slurm } : {}),
    ...(sweep.kubernetes !== undefined ? { kubernetes: sweep.kubernetes } : {}),
  };
  if (sweep.kind === 'predict') {
    if (options.check !== false) await checkPredictPaths(sweep.predict, sweepFile);
    return { plan: { ...common, kind: 'predict', predict: sweep.predict, runs: shardRuns(sweep.predict, sweep.outDir) }, sweep };
  }
  const sets = expandOverrides({ ...(sweep.set ? { set: sweep.set } : {}), ...(sweep.grid ? { grid: sweep.grid } : {}), ...(sweep.runs ? { runs: sweep.runs } : {}), ...(sweep.folds !== undefined ? { folds: sweep.folds } : {}) });
  const ids = runIds(sets);
  const runs = sets.map((overrides, index) => ({ index, id: ids[index]!, overrides, outDir: path.join(sweep.outDir, 'runs', ids[index]!) }));
  if (options.check !== false) await checkOverrides(sweep, runs);
  const plan: SweepPlan = { ...common, kind: 'train', runs };
  return { plan, sweep };
}
