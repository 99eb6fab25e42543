import path from 'node:path';
import { ConfigError, InputError } from '@polyfuse/core';
import { writeFileAtomic } from '@polyfuse/core/node';
import { formatIssue } from '@polyfuse/data';
import { openRun, type OpenedRun } from '../run/openRun.js';
import { labelClasses } from '../data/preprocessingState.js';
import { mainLabel } from '../training/trainRun.js';
import { predictManifest, predictSamples, predictionDataset } from '../predict/predictSamples.js';
import { predictionsToCsv, predictionsToJson } from '../predict/formatPredictions.js';
import { predictTasks } from '../predict/predictTasks.js';
import { taskPredictionsToCsv, taskPredictionsToJson } from '../predict/formatTaskPredictions.js';
import { restoreTargets } from '../predict/restoreTargets.js';
import { checkBeam, checkQuery, matchHeads, namedHeads } from '../predict/taskOptions.js';
import { selectShard } from '../predict/shardRows.js';
import { shardFileName, type Shard } from '../predict/shardSpec.js';
import { mergePredictionShards } from '../predict/shardMerge.js';
import { startBackend } from '../program/startBackend.js';
import { exitCodes } from '../program/exitCodes.js';
import { prepareOutputFolder, writingTo } from '../run/outputFolder.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';

export interface PredictCommandOptions extends GlobalOptions {
  input?: string[];
  manifest?: string;
  output?: string;
  format?: string;
  batchSize?: number;
  /** Beam width for decoder heads (1: greedy, the default). */
  beam?: number;
  /** A modality projected by a match head: list each sample's top matches in the other modality. */
  query?: string;
  /** How many matches `query` lists (default 5). */
  top?: number;
  /** Predict only this shard of the manifest's lines (a contiguous block; see predict/shardRows.ts). */
  shard?: Shard;
  /** Instead of predicting: merge the shard files of this output into it (see predict/shardMerge.ts). */
  merge?: string;
}

/**
 * `polyfuse predict <run>`: predictions for one sample given as
 * `--input <modality>=<file or value>` (paths relative to the current
 * folder; modalities left out are masked as missing) or for every line of a
 * manifest (`--manifest`, paths relative to it). Preprocessing uses the run's
 * fitted state. Writes JSON (default) or CSV to `--output` or stdout.
 *
 * A classification run (`model.head`) gives the top class and every class's
 * probability. A run with named heads gives `{ id, <head>: {...} }` per
 * sample, each head by its kind (see predict/predictTasks.ts): classes,
 * multi-label classes, values in the target's units, generated text
 * (`--beam N` for beam search) and, with `--query <modality>`, the top
 * `--top K` matches of each sample among the manifest's samples (with
 * `--input` and `--manifest` together, the input is the query and the
 * manifest's samples are the candidates).
 *
 * `--shard i/n` predicts the i-th of n contiguous blocks of the manifest's
 * lines and writes `<output>.shard-i-of-n.<ext>`; `--merge <output>` (no
 * run) concatenates those files into `<output>` in manifest order.
 */
export async function predictCommand(runDir: string | undefined, options: PredictCommandOptions, io: CommandIo): Promise<number> {
  if (options.merge !== undefined) return mergeCommand(runDir, options, io);
  if (runDir === undefined) throw new ConfigError('predict needs a run folder (polyfuse predict <run> ...), or --merge <output> to merge shard files.');
  await predictRun(runDir, options, io);
  return exitCodes.ok;
}

/** What one prediction wrote: how many predictions, and how many samples it skipped as bad. */
export interface PredictSummary {
  predictions: number;
  skipped: number;
}

/**
 * The prediction of `polyfuse predict <run>` (everything but `--merge`),
 * returning what it wrote; a predict sweep's shard runs call it, so a shard
 * of a sweep is exactly `polyfuse predict --shard i/n`.
 */
export async function predictRun(runDir: string, options: PredictCommandOptions, io: CommandIo): Promise<PredictSummary> {
  const inputs = options.input ?? [];
  const both = inputs.length > 0 && !!options.manifest;
  if ((inputs.length > 0) === !!options.manifest && !(both && options.query !== undefined)) {
    throw new ConfigError(
      'predict needs either --input <modality>=<value> (one sample) or --manifest <file>, not both and not neither (both only with --query: the input is the query, the manifest holds the candidates).',
    );
  }
  if (options.shard && (!options.manifest || inputs.length > 0)) {
    throw new ConfigError(`--shard ${options.shard.index}/${options.shard.count} splits the lines of --manifest: use it with --manifest and without --input (with --input, the manifest holds the candidates of one query).`);
  }
  const format = options.format ?? (options.output?.toLowerCase().endsWith('.csv') ? 'csv' : 'json');
  if (format !== 'json' && format !== 'csv') throw new ConfigError(`--format must be json or csv, got '${format}'.`);
  const outputFile = options.output && options.shard ? shardFileName(options.output, options.shard) : options.output;
  // Before any work: the folder of --output must exist (or be made) and be writable.
  if (outputFile) await prepareOutputFolder(path.dirname(path.resolve(io.cwd, outputFile)), `${'the predictions'} to`, 'or choose another --output');
  const run = await openRun(path.resolve(io.cwd, runDir), { beforeModel: (config) => startBackend(options, io, config?.backend) });
  try {
    checkBeam(run.model, options.beam);
    const queried = checkQuery(run.model, options.query, options.top);
    if (options.query !== undefined && !options.manifest) {
      throw new ConfigError(`--query ranks matches among the samples of a manifest: add --manifest <file> (with --input, the input is the query and the manifest's samples the candidates).`);
    }
    const text = namedHeads(run.model).length > 0 ? await predictWithHeads(run, inputs, options, format, queried, io) : await predictClasses(run, inputs, options, format, io);
    if (outputFile) {
      const output = path.resolve(io.cwd, outputFile);
      await writingTo('the predictions', output, () => writeFileAtomic(output, text.text), 'or choose another --output');
      io.stderr.write(`Wrote ${text.count} prediction(s) to ${outputFile}\n`);
    } else io.stdout.write(text.text);
    return { predictions: text.count, skipped: text.skipped };
  } finally {
    run.model.dispose();
  }
}

/** `polyfuse predict --merge <output>`: the shard files of `output` concatenated into it. */
async function mergeCommand(runDir: string | undefined, options: PredictCommandOptions, io: CommandIo): Promise<number> {
  const others = (['input', 'manifest', 'output', 'format', 'beam', 'query', 'top', 'shard'] as const).filter((o) => options[o] !== undefined);
  if (runDir !== undefined || others.length > 0) {
    const given = [...(runDir !== undefined ? [`the run '${runDir}'`] : []), ...others.map((o) => `--${o}`)];
    throw new ConfigError(`--merge <output> only merges shard files and takes no run or other option; remove ${given.join(', ')}.`);
  }
  const output = path.resolve(io.cwd, options.merge!);
  const merged = await writingTo('the merged predictions', output, () => mergePredictionShards(output), 'or merge into another file');
  io.stderr.write(`Merged ${merged.shards} shard(s), ${merged.predictions} prediction(s), into ${options.merge}\n`);
  return exitCodes.ok;
}

/** The sample of `--input` entries, as a manifest line: `{ id: 'input', <field>: value }`. */
function inputSample(run: OpenedRun, inputs: string[]): Record<string, unknown> {
  const modalities = run.preprocessing.spec.modalities;
  const values: Record<string, unknown> = { id: 'input' };
  for (const entry of inputs) {
    const at = entry.indexOf('=');
    const modality = at > 0 ? entry.slice(0, at) : '';
    if (!modalities[modality]) {
      throw new ConfigError(`--input '${entry}': expected <modality>=<file or value> with a modality of this model (${Object.keys(modalities).join(', ')}).`);
    }
    values[modalities[modality].field ?? modality] = entry.slice(at + 1);
  }
  return values;
}

/** A classification run: today's format, `{ id, prediction, probabilities }`. */
async function predictClasses(run: OpenedRun, inputs: string[], options: PredictCommandOptions, format: string, io: CommandIo): Promise<{ text: string; count: number; skipped: number }> {
  let result: Awaited<ReturnType<typeof predictManifest>>;
  if (options.manifest) {
    result = await predictManifest(run, path.resolve(io.cwd, options.manifest), { batchSize: options.batchSize ?? 64, ...(options.shard ? { shard: options.shard } : {}) });
  } else {
    result = await predictSamples(run, [inputSample(run, inputs)], { baseDir: io.cwd });
    if (result.predictions.length === 0) {
      throw new InputError(`The sample could not be read: ${result.dataset.issues.map((i) => formatIssue(i)).join('; ')}`);
    }
  }
  for (const issue of result.dataset.issues) io.stderr.write(`skipped ${formatIssue(issue)}\n`);
  const { predictions } = result;
  const classes = labelClasses(run.preprocessing);
  return { text: format === 'csv' ? predictionsToCsv(predictions, classes) : predictionsToJson(predictions), count: predictions.length, skipped: result.dataset.issues.length };
}

/** A run with named heads: `{ id, <head>: {...} }` per sample. */
async function predictWithHeads(
  run: OpenedRun,
  inputs: string[],
  options: PredictCommandOptions,
  format: string,
  queried: ReturnType<typeof checkQuery>,
  io: CommandIo,
): Promise<{ text: string; count: number; skipped: number }> {
  const manifest = options.manifest ? path.resolve(io.cwd, options.manifest) : undefined;
  const candidates = manifest ? await predictionDataset(run, { manifest }) : undefined;
  let samples = inputs.length > 0 ? await predictionDataset(run, { samples: [inputSample(run, inputs)], baseDir: io.cwd }) : candidates!;
  if (options.shard) {
    // A shard's samples are its block of lines; a query still ranks among every sample of the manifest.
    if (options.query !== undefined) samples = await predictionDataset(run, { manifest: manifest! });
    const { first } = selectShard(samples.dataset, samples.split, options.shard);
    if (first === undefined) io.stderr.write(`note: shard ${options.shard.index}/${options.shard.count} has no lines (more shards than manifest lines); its output is empty.\n`);
  }
  for (const issue of samples.dataset.issues) io.stderr.write(`skipped ${formatIssue(issue)}\n`);
  if (samples !== candidates) for (const issue of candidates?.dataset.issues ?? []) io.stderr.write(`skipped candidate ${formatIssue(issue)}\n`);
  if (samples.dataset.splits[samples.split].length === 0 && !options.shard) {
    throw new InputError(`The sample could not be read: ${samples.dataset.issues.map((i) => formatIssue(i)).join('; ')}`);
  }
  if (options.query === undefined) {
    for (const { head, modalities } of matchHeads(run.model)) {
      io.stderr.write(`note: match head '${head}' gives no per-sample output without a query: pass --query ${modalities.join(' or --query ')} with --manifest to list each sample's top matches (--top K, default 5).\n`);
    }
  }
  const hasMain = run.model.outputNames.includes('logits');
  const { predictions, layout } = await predictTasks(run.model, restoreTargets(run.preprocessing), samples.dataset, samples.split, {
    batchSize: options.batchSize ?? 64,
    ...(options.beam !== undefined ? { beamWidth: options.beam } : {}),
    ...(options.query !== undefined ? { query: { modality: options.query, heads: queried, top: options.top ?? 5 } } : {}),
    ...(candidates && candidates !== samples ? { candidates } : {}),
    ...(hasMain ? { mainClasses: labelClasses(run.preprocessing, run.config ? mainLabel(run.config) : undefined) } : {}),
  });
  // Counted after prediction: files that cannot be read are found as batches load.
  return { text: format === 'csv' ? taskPredictionsToCsv(predictions, layout) : taskPredictionsToJson(predictions), count: predictions.length, skipped: samples.dataset.issues.length };
}
