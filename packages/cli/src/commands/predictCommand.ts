import path from 'node:path';
import { ConfigError, InputError } from '@polyfuse/core';
import { writeFileAtomic } from '@polyfuse/core/node';
import { formatIssue } from '@polyfuse/data';
import { openRun } from '../run/openRun.js';
import { labelClasses } from '../data/preprocessingState.js';
import { predictManifest, predictSamples } from '../predict/predictSamples.js';
import { predictionsToCsv, predictionsToJson } from '../predict/formatPredictions.js';
import { startBackend } from '../program/startBackend.js';
import { exitCodes } from '../program/exitCodes.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';

export interface PredictCommandOptions extends GlobalOptions {
  input?: string[];
  manifest?: string;
  output?: string;
  format?: string;
  batchSize?: number;
}

/**
 * `polyfuse predict <run>`: class probabilities for one sample given as
 * `--input <modality>=<file or value>` (paths relative to the current
 * folder; modalities left out are masked as missing) or for every line of a
 * manifest (`--manifest`, paths relative to it). Preprocessing uses the run's
 * fitted state. Writes JSON (default) or CSV to `--output` or stdout.
 */
export async function predictCommand(runDir: string, options: PredictCommandOptions, io: CommandIo): Promise<number> {
  const inputs = options.input ?? [];
  if ((inputs.length > 0) === !!options.manifest) {
    throw new ConfigError('predict needs either --input <modality>=<value> (one sample) or --manifest <file>, not both and not neither.');
  }
  const format = options.format ?? (options.output?.toLowerCase().endsWith('.csv') ? 'csv' : 'json');
  if (format !== 'json' && format !== 'csv') throw new ConfigError(`--format must be json or csv, got '${format}'.`);
  const run = await openRun(path.resolve(io.cwd, runDir), { beforeModel: (config) => startBackend(options, io, config?.backend) });
  try {
    const modalities = run.preprocessing.spec.modalities;
    let result: Awaited<ReturnType<typeof predictManifest>>;
    if (options.manifest) {
      result = await predictManifest(run, path.resolve(io.cwd, options.manifest), { batchSize: options.batchSize ?? 64 });
    } else {
      const values: Record<string, unknown> = { id: 'input' };
      for (const entry of inputs) {
        const at = entry.indexOf('=');
        const modality = at > 0 ? entry.slice(0, at) : '';
        if (!modalities[modality]) {
          throw new ConfigError(`--input '${entry}': expected <modality>=<file or value> with a modality of this model (${Object.keys(modalities).join(', ')}).`);
        }
        values[modalities[modality].field ?? modality] = entry.slice(at + 1);
      }
      result = await predictSamples(run, [values], { baseDir: io.cwd });
      if (result.predictions.length === 0) {
        throw new InputError(`The sample could not be read: ${result.dataset.issues.map((i) => formatIssue(i)).join('; ')}`);
      }
    }
    for (const issue of result.dataset.issues) io.stderr.write(`skipped ${formatIssue(issue)}\n`);
    const { predictions } = result;
    const classes = labelClasses(run.preprocessing);
    const text = format === 'csv' ? predictionsToCsv(predictions, classes) : predictionsToJson(predictions);
    if (options.output) {
      await writeFileAtomic(path.resolve(io.cwd, options.output), text);
      io.stderr.write(`Wrote ${predictions.length} prediction(s) to ${options.output}\n`);
    } else io.stdout.write(text);
    return exitCodes.ok;
  } finally {
    run.model.dispose();
  }
}
