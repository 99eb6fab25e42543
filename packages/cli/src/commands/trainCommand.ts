import path from 'node:path';
import { ConfigError } from '@polyfuse/core';
import { loadConfig } from '../config/loadConfig.js';
import { parseAllowedChanges } from '../config/configChanges.js';
import { trainInFolder } from '../training/trainInFolder.js';
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

/**
 * `polyfuse train`: trains from a config into a run folder, then evaluates
 * and writes the report (`trainInFolder`, which also says how Ctrl-C and
 * SIGTERM stop it after a checkpoint).
 */
export async function trainCommand(options: TrainCommandOptions, io: CommandIo): Promise<number> {
  if (options.allowConfigChange && !options.resume) throw new ConfigError('--allow-config-change applies to --resume only: a new run takes its config as it is.');
  const allowConfigChanges = typeof options.allowConfigChange === 'string' ? parseAllowedChanges(options.allowConfigChange) : options.allowConfigChange;
  const config = await loadConfig(path.resolve(io.cwd, options.config));
  const outDir = path.resolve(io.cwd, options.out ?? path.join('runs', config.name));
  const advice = options.out ? 'or choose another --out' : 'or choose a run folder with --out';
  return trainInFolder(config, { ...options, outDir, advice, ...(allowConfigChanges ? { allowConfigChanges } : {}) }, io);
}
