import path from 'node:path';
import { ConfigError, InputError } from '@polyfuse/core';
import { writeFileAtomic } from '@polyfuse/core/node';
import { openRun } from '../run/openRun.js';
import { prepareDataset } from '../data/prepareDataset.js';
import { formatIssue } from '../data/readManifest.js';
import type { DataConfig } from '../config/runConfig.js';
import { evaluateSplits, inputSpecs } from '../training/trainRun.js';
import { silentProgress } from '../program/progress.js';
import { startBackend } from '../program/startBackend.js';
import { exitCodes } from '../program/exitCodes.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';
import type { SplitName } from '../data/assignSplits.js';

export interface EvalCommandOptions extends GlobalOptions {
  split?: string;
  manifest?: string;
  output?: string;
}

const splitChoices = ['test', 'validation', 'train'];

/**
 * `polyfuse eval <run>`: scores the trained model on a split of the run's own
 * manifest (recomputed with the run's seed, so it is the same split) or on
 * every labelled sample of another manifest (`--manifest`), with the run's
 * metrics, confusion matrix, modality contribution and robustness.
 */
export async function evalCommand(runDir: string, options: EvalCommandOptions, io: CommandIo): Promise<number> {
  if (options.split !== undefined && !splitChoices.includes(options.split)) {
    throw new ConfigError(`--split must be one of ${splitChoices.join(', ')}, got '${options.split}'.`);
  }
  const run = await openRun(path.resolve(io.cwd, runDir), { beforeModel: (config) => startBackend(options, io, config?.backend) });
  if (!run.config) throw new InputError(`${runDir} has no config.json: 'polyfuse eval' needs a run folder written by 'polyfuse train'.`);
  const config = run.config;
  const labels = Object.fromEntries(
    Object.entries(config.data.labels).map(([name, label]) => [name, { ...label, classes: run.preprocessing.labels[name].classes }]),
  );
  const data: DataConfig = options.manifest
    ? { ...config.data, labels, manifest: path.resolve(io.cwd, options.manifest), split: { ...config.data.split, field: undefined, fractions: { validation: 0, test: 0 } } }
    : { ...config.data, labels };
  const dataset = await prepareDataset(data, { baseDir: config.baseDir, seed: config.training.seed, preprocessors: run.preprocessors });
  for (const issue of dataset.issues.slice(0, 5)) io.stderr.write(`skipped ${formatIssue(dataset.manifest, issue)}\n`);
  const chosen: SplitName = options.manifest ? 'train' : ((options.split as SplitName | undefined) ?? (dataset.splits.test.length > 0 ? 'test' : 'validation'));
  const samples = dataset.splits[chosen];
  if (samples.length === 0) throw new InputError(`The ${chosen} split of ${dataset.manifest} has no samples; choose another with --split.`);
  const label = Object.keys(config.data.labels)[0];
  const only = { ...dataset, splits: { train: [], validation: [], test: samples } };
  const evaluation = evaluateSplits(run.model, only, inputSpecs(run.model, run), config, label, silentProgress);
  evaluation.split = options.manifest ? path.basename(dataset.manifest) : chosen;
  const lines = [`${evaluation.split}: ${samples.length} samples`, ...Object.entries(evaluation.metrics as Record<string, number>).map(([k, v]) => `  ${k.padEnd(12)} ${v.toFixed(4)}`)];
  io.stdout.write(`${lines.join('\n')}\n`);
  if (options.output) await writeFileAtomic(path.resolve(io.cwd, options.output), JSON.stringify(evaluation, null, 2));
  run.model.dispose();
  return exitCodes.ok;
}
