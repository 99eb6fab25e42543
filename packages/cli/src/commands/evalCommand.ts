import path from 'node:path';
import { ConfigError, InputError } from '@polyfuse/core';
import { writeFileAtomic } from '@polyfuse/core/node';
import { formatIssue, type SplitName } from '@polyfuse/data';
import { loadDataset } from '@polyfuse/data/node';
import { openRun } from '../run/openRun.js';
import { evaluateDataset, mainLabel } from '../training/trainRun.js';
import { silentProgress } from '../program/progress.js';
import { startBackend } from '../program/startBackend.js';
import { exitCodes } from '../program/exitCodes.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';

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
 * metrics, confusion matrix, modality contribution and robustness. The
 * preprocessing is the state fitted in training, never refitted.
 */
export async function evalCommand(runDir: string, options: EvalCommandOptions, io: CommandIo): Promise<number> {
  if (options.split !== undefined && !splitChoices.includes(options.split)) {
    throw new ConfigError(`--split must be one of ${splitChoices.join(', ')}, got '${options.split}'.`);
  }
  const run = await openRun(path.resolve(io.cwd, runDir), { beforeModel: (config) => startBackend(options, io, config?.backend) });
  try {
    if (!run.config) throw new InputError(`${runDir} has no config.json: 'polyfuse eval' needs a run folder written by 'polyfuse train'.`);
    const trained = run.preprocessing.spec;
    const spec = options.manifest
      ? { ...trained, manifest: path.resolve(io.cwd, options.manifest), split: { fractions: { validation: 0, test: 0 } } }
      : trained;
    const dataset = await loadDataset(spec, { state: run.preprocessing.state });
    dataset.onIssue = (issue) => io.stderr.write(`skipped ${formatIssue(issue)}\n`);
    for (const issue of dataset.issues.slice(0, 5)) io.stderr.write(`skipped ${formatIssue(issue)}\n`);
    const split: SplitName = options.manifest ? 'train' : ((options.split as SplitName | undefined) ?? (dataset.splits.test.length > 0 ? 'test' : 'validation'));
    if (dataset.splits[split].length === 0) throw new InputError(`The ${split} split of ${spec.manifest} has no samples; choose another with --split.`);
    const evaluation = await evaluateDataset(run.model, dataset, run.config, mainLabel(run.config), silentProgress, split);
    if (options.manifest) evaluation.split = path.basename(spec.manifest);
    const lines = [`${evaluation.split}: ${evaluation.count} samples`, ...Object.entries(evaluation.metrics as Record<string, number>).map(([k, v]) => `  ${k.padEnd(12)} ${v.toFixed(4)}`)];
    io.stdout.write(`${lines.join('\n')}\n`);
    if (options.output) await writeFileAtomic(path.resolve(io.cwd, options.output), JSON.stringify(evaluation, null, 2));
    return exitCodes.ok;
  } finally {
    run.model.dispose();
  }
}
