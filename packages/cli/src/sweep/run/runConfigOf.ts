import { ConfigError } from '@polyfuse/core';
import { configFromObject } from '../../config/loadConfig.js';
import type { RunConfig } from '../../config/runConfig.js';
import { applyOverrides } from '../expand/configPath.js';
import { describeOverrides } from '../expand/checkOverrides.js';
import type { SweepFile } from '../sweepFile.js';
import type { SweepRun } from '../sweepPlan.js';

/**
 * The run config of one sweep run: the base config with the run's overrides
 * applied, validated like a config file, named `<sweep>-<id>` unless an
 * override names it. Relative paths resolve against the base config's folder.
 */
export async function runConfigOf(sweep: SweepFile, run: SweepRun): Promise<RunConfig> {
  if (sweep.kind !== 'train') throw new ConfigError(`${sweep.file} is a predict sweep: run ${run.id} predicts a shard and has no run config.`);
  const raw = applyOverrides(sweep.base.config, run.overrides);
  if (!('name' in run.overrides)) raw.name = `${sweep.name}-${run.id}`;
  try {
    return await configFromObject(raw, sweep.base.baseDir, `${sweep.name}-${run.id}`);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${sweep.file}: run ${run.id} (${describeOverrides(run.overrides)}): ${error.message}`, { cause: error });
    throw error;
  }
}
