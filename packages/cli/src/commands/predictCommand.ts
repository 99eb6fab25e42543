import path from 'node:path';
import { ConfigError, InputError } from '@polyfuse/core';
import { writeFileAtomic } from '@polyfuse/core/node';
import { openRun } from '../run/openRun.js';
import { readManifest, formatIssue, type ManifestRow } from '../data/readManifest.js';
import { processSamples, type ProcessedSample } from '../data/processSamples.js';
import { inputSpecs } from '../training/trainRun.js';
import { argmaxRows, predictProbabilities } from '../training/evaluate.js';
import { predictionsToCsv, predictionsToJson, type Prediction } from '../predict/formatPredictions.js';
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
  const readers = Object.fromEntries(
    Object.entries(modalities).map(([m, spec]) => [m, { field: spec.field, required: spec.required, preprocessor: run.preprocessors[m] }]),
  );
  const { samples, issues } = await processSamples(rows, readers, { baseDir, source, onBadSample: options.manifest ? 'skip' : 'error' });
  for (const issue of issues) io.stderr.write(`skipped ${formatIssue(source, issue)}\n`);
  const usable = samples.filter((s): s is ProcessedSample => s !== undefined);
  if (usable.length === 0) throw new InputError(`No sample of ${source} could be read (${issues.length} skipped).`);

  const labelName = Object.keys(run.preprocessing.labels)[0];
  const classes = run.preprocessing.labels[labelName].classes;
  const { probabilities, numClasses } = predictProbabilities(run.model, usable, inputSpecs(run.model, run), { batchSize: options.batchSize ?? 64 });
  const top = argmaxRows(probabilities, numClasses);
  const predictions: Prediction[] = usable.map((sample, i) => ({
    id: sample.id,
    prediction: classes[top[i]],
    probabilities: Object.fromEntries(classes.map((c, k) => [c, probabilities[i * numClasses + k]])),
  }));
  const text = format === 'csv' ? predictionsToCsv(predictions, classes) : predictionsToJson(predictions);
  if (options.output) {
    await writeFileAtomic(path.resolve(io.cwd, options.output), text);
    io.stderr.write(`Wrote ${predictions.length} prediction(s) to ${options.output}\n`);
  } else io.stdout.write(text);
  run.model.dispose();
  return exitCodes.ok;
}
