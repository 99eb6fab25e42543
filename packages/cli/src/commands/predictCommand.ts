import path from 'node:path';
import { ConfigError } from '@polyfuse/core';
import { writeFileAtomic } from '@polyfuse/core/node';
import { openRun } from '../run/openRun.js';
import { readManifest, formatIssue, type ManifestRow } from '../data/readManifest.js';
import { predictRows } from '../predict/predictRows.js';
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
  const modalities = run.preprocessing.modalities;

  let rows: ManifestRow[];
  let baseDir: string;
  let source: string;
  if (options.manifest) {
    source = path.resolve(io.cwd, options.manifest);
    baseDir = path.dirname(source);
    const parsed = await readManifest(source);
    for (const issue of parsed.issues) io.stderr.write(`skipped ${formatIssue(source, issue)}\n`);
    rows = parsed.rows;
  } else {
    source = '--input';
    baseDir = io.cwd;
    const values: Record<string, unknown> = {};
    for (const entry of inputs) {
      const at = entry.indexOf('=');
      const modality = at > 0 ? entry.slice(0, at) : '';
      if (!modalities[modality]) {
        throw new ConfigError(`--input '${entry}': expected <modality>=<file or value> with a modality of this model (${Object.keys(modalities).join(', ')}).`);
      }
      values[modalities[modality].field] = entry.slice(at + 1);
    }
    rows = [{ line: 1, values: { id: 'input', ...values } }];
  }
  const { predictions, issues } = await predictRows(run, rows, { baseDir, source, onBadSample: options.manifest ? 'skip' : 'error' }).finally(() => run.model.dispose());
  for (const issue of issues) io.stderr.write(`skipped ${formatIssue(source, issue)}\n`);
  const classes = Object.values(run.preprocessing.labels)[0].classes;
  const text = format === 'csv' ? predictionsToCsv(predictions, classes) : predictionsToJson(predictions);
  if (options.output) {
    await writeFileAtomic(path.resolve(io.cwd, options.output), text);
    io.stderr.write(`Wrote ${predictions.length} prediction(s) to ${options.output}\n`);
  } else io.stdout.write(text);
  return exitCodes.ok;
}
