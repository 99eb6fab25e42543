import { InputError, type MultimodalModel } from '@polyfuse/core';
import { loadConfig } from '../config/loadConfig.js';
import type { RunConfig } from '../config/runConfig.js';
import type { PreprocessingState } from '../data/preprocessingState.js';
import { exists, readModelFolder, runPaths } from './runFolder.js';

/** A trained run, opened for evaluation or prediction. */
export interface OpenedRun {
  /** The run's resolved config (plugins imported); absent when only a model folder was given. */
  config?: RunConfig;
  model: MultimodalModel;
  /** The dataset spec and fitted preprocessing state saved with the model. */
  preprocessing: PreprocessingState;
}

/**
 * Opens a run folder (or a bare model folder): imports the plugins its config
 * names and loads the model with its saved preprocessing, so new samples are
 * preprocessed exactly as in training. `beforeModel` runs once the config is
 * known and before the model loads: the place to start the backend.
 */
export async function openRun(dir: string, options: { beforeModel?: (config: RunConfig | undefined) => Promise<void> } = {}): Promise<OpenedRun> {
  if (!(await exists(dir))) throw new InputError(`${dir} does not exist. Give a run folder written by 'polyfuse train --out <dir>'.`);
  const configFile = runPaths(dir).config;
  const config = (await exists(configFile)) ? await loadConfig(configFile) : undefined;
  await options.beforeModel?.(config);
  const { model, preprocessing } = await readModelFolder(dir);
  return { ...(config ? { config } : {}), model, preprocessing };
}
