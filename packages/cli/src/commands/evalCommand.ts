import path from 'node:path';
import { ConfigError, InputError } from '@polyfuse/core';
import { writeFileAtomic } from '@polyfuse/core/node';
import { formatIssue, type SampleIssue, type SplitName } from '@polyfuse/data';
import { loadDataset } from '@polyfuse/data/node';
import { openRun } from '../run/openRun.js';
import { evaluateDataset, extraPasses, mainLabel } from '../training/trainRun.js';
import { maskModalities, parseMaskedModalities } from '../training/maskModalities.js';
import { silentProgress } from '../program/progress.js';
import { startBackend } from '../program/startBackend.js';
import { exitCodes } from '../program/exitCodes.js';
import { prepareOutputFolder, writingTo } from '../run/outputFolder.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';
import type { TaskEvaluation } from '../training/evaluateTasks.js';
import { checkBeam } from '../predict/taskOptions.js';

export interface EvalCommandOptions extends GlobalOptions {
  split?: string;
  manifest?: string;
  output?: string;
  /** Beam width for decoder heads' beam-search scores; overrides `evaluation.beamWidth`. */
  beam?: number;
  /** Modalities masked (missing) for every sample: `--mask audio` or `--mask audio,image`, repeatable. */
  mask?: string[];
  /** `false` (`--no-extras`) skips the contribution and robustness passes. Default true. */
  extras?: boolean;
}

const splitChoices = ['test', 'validation', 'train'];

/**
 * `polyfuse eval <run>`: scores the trained model on a split of the run's own
 * manifest (recomputed with the run's seed, so it is the same split) or on
 * every labelled sample of another manifest (`--manifest`), with the run's
 * metrics, confusion matrix, modality contribution and robustness. The
 * preprocessing is the state fitted in training, never refitted.
 *
 * A run with named heads prints each head's metrics on one line, and the
 * beam-search scores of decoder heads under it (`--beam N` overrides
 * `evaluation.beamWidth`); `--output` writes the structure of the run's
 * evaluation.json, `tasks` included.
 *
 * `--mask <modality>` scores with that modality missing from every sample.
 * Before scoring, a line on stderr (not with `--quiet`) says which extra
 * passes (contribution, robustness) will run; their results are printed
 * after the scores. `--no-extras` skips them.
 */
export async function evalCommand(runDir: string, options: EvalCommandOptions, io: CommandIo): Promise<number> {
  if (options.split !== undefined && !splitChoices.includes(options.split)) {
    throw new ConfigError(`--split must be one of ${splitChoices.join(', ')}, got '${options.split}'.`);
  }
  // Before any work: the folder of --output must exist (or be made) and be writable.
  if (options.output) await prepareOutputFolder(path.dirname(path.resolve(io.cwd, options.output)), `${'the scores'} to`, 'or choose another --output');
  const run = await openRun(path.resolve(io.cwd, runDir), { beforeModel: (config) => startBackend(options, io, config?.backend) });
  try {
    if (!run.config) throw new InputError(`${runDir} has no config.json: 'polyfuse eval' needs a run folder written by 'polyfuse train'.`);
    checkBeam(run.model, options.beam);
    const masked = parseMaskedModalities(options.mask ?? [], run.model.modalities);
    const evaluationConfig = {
      ...run.config.evaluation,
      ...(options.beam !== undefined ? { beamWidth: options.beam } : {}),
      ...(options.extras === false ? { contribution: false, robustness: [] } : {}),
    };
    const config = { ...run.config, evaluation: evaluationConfig };
    const trained = run.preprocessing.spec;
    const spec = options.manifest
      ? { ...trained, manifest: path.resolve(io.cwd, options.manifest), split: { fractions: { validation: 0, test: 0 } } }
      : trained;
    const dataset = await loadDataset(spec, { state: run.preprocessing.state });
    maskModalities(dataset, masked);
    let shown = 0;
    const show = (issue: SampleIssue): void => {
      if (shown++ < 5) io.stderr.write(`skipped ${formatIssue(issue)}\n`);
    };
    dataset.issues.forEach(show);
    dataset.onIssue = show;
    const split: SplitName = options.manifest ? 'train' : ((options.split as SplitName | undefined) ?? (dataset.splits.test.length > 0 ? 'test' : 'validation'));
    if (dataset.splits[split].length === 0) throw new InputError(`The ${split} split of ${spec.manifest} has no samples; choose another with --split.`);
    if (!options.quiet) io.stderr.write(`${extrasPlanLine(extraPasses(run.model, config, mainLabel(config)), run.model.modalities, options.extras !== false)}\n`);
    const evaluation = await evaluateDataset(run.model, dataset, config, mainLabel(config), silentProgress, split);
    if (options.manifest) evaluation.split = path.basename(spec.manifest);
    if (masked.length > 0) evaluation.masked = masked;
    if (dataset.issues.length > 5) io.stderr.write(`${dataset.issues.length} samples skipped in total (${dataset.issues.length - 5} not shown above).\n`);
    const printed = evaluation as unknown as PrintedEvaluation;
    io.stdout.write(`${[...evaluationLines(printed), ...extrasLines(printed)].join('\n')}\n`);
    if (options.output) {
      const output = path.resolve(io.cwd, options.output);
      await writingTo('the scores', output, () => writeFileAtomic(output, JSON.stringify(evaluation, null, 2)), 'or choose another --output');
    }
    return exitCodes.ok;
  } finally {
    run.model.dispose();
  }
}

/** What `polyfuse eval` prints of an evaluation (the structure of evaluation.json). */
export interface PrintedEvaluation {
  split: string;
  count: number;
  metrics: Record<string, number>;
  tasks?: Record<string, TaskEvaluation>;
  /** Modalities masked for every sample (`--mask`). */
  masked?: string[];
  contribution?: { metric: string; modalities: Record<string, { full: number; without: number; contribution: number }> };
  robustness?: { metric: string; points: { modality: string; rate: number; value: number }[] };
}

/**
 * The line `polyfuse eval` prints (on stderr) before scoring, saying which
 * extra results follow the scores, what they cost and how to skip them, e.g.
 * `extra passes: 2 (each modality masked for every sample) for contribution, robustness at 50%, 100%; --no-extras skips them`.
 * Contribution and robustness share those passes (see `collectMaskedOutputs`).
 */
export function extrasPlanLine(plan: { contribution: boolean; robustness: number[] }, modalities: readonly string[], enabled: boolean): string {
  if (!enabled) return 'extra passes: none (--no-extras)';
  const results: string[] = [];
  if (plan.contribution) results.push('contribution');
  if (plan.robustness.length > 0) results.push(`robustness at ${plan.robustness.map((r) => `${Math.round(r * 100)}%`).join(', ')}`);
  if (results.length === 0) {
    return modalities.length < 2 ? 'extra passes: none (the model has one modality)' : "extra passes: none (the run's evaluation section turns contribution and robustness off)";
  }
  return `extra passes: ${modalities.length} (each modality masked for every sample) for ${results.join(', ')}; --no-extras skips them`;
}

/**
 * The results of the extra passes, after the scores:
 * `contribution (accuracy drop when one modality is masked):` then
 * `  audio  0.9000 -> 0.5000  +0.4000` per modality, and
 * `robustness (accuracy with a modality missing from a share of the samples):`
 * then `  audio  25% 0.8000, 50% 0.7000` per modality.
 */
export function extrasLines(evaluation: PrintedEvaluation): string[] {
  const lines: string[] = [];
  const { contribution, robustness } = evaluation;
  if (contribution) {
    const entries = Object.entries(contribution.modalities);
    const width = Math.max(0, ...entries.map(([m]) => m.length));
    lines.push(`contribution (${contribution.metric} drop when one modality is masked):`);
    for (const [modality, v] of entries) {
      lines.push(`  ${modality.padEnd(width)}  ${v.full.toFixed(4)} -> ${v.without.toFixed(4)}  ${v.contribution >= 0 ? '+' : ''}${v.contribution.toFixed(4)}`);
    }
  }
  if (robustness) {
    const modalities = [...new Set(robustness.points.map((p) => p.modality))];
    const width = Math.max(0, ...modalities.map((m) => m.length));
    lines.push(`robustness (${robustness.metric} with a modality missing from a share of the samples):`);
    for (const modality of modalities) {
      const points = robustness.points.filter((p) => p.modality === modality).map((p) => `${Math.round(p.rate * 100)}% ${p.value.toFixed(4)}`);
      lines.push(`  ${modality.padEnd(width)}  ${points.join(', ')}`);
    }
  }
  return lines;
}

/**
 * The printed scores: `<split>: <n> samples`, then one `name value` line per
 * metric of the main output (a classification run prints only these), then
 * one line per named head with its metrics by their short names, e.g.
 * `caption (sequence): bleu 31.2000, cider 0.8100`, and `beam 3: ...` under
 * it when beam search was scored.
 */
export function evaluationLines(evaluation: PrintedEvaluation): string[] {
  const tasks = Object.entries(evaluation.tasks ?? {});
  const ofTasks = new Set(tasks.flatMap(([, t]) => Object.keys(t.metrics)));
  const main = Object.entries(evaluation.metrics).filter(([k]) => !ofTasks.has(k));
  const masked = evaluation.masked?.length ? `, ${evaluation.masked.join(', ')} masked` : '';
  const lines = [`${evaluation.split}: ${evaluation.count} samples${masked}`, ...main.map(([k, v]) => `  ${k.padEnd(12)} ${v.toFixed(4)}`)];
  const width = Math.max(0, ...tasks.map(([head, t]) => `${head} (${t.type})`.length));
  for (const [head, task] of tasks) {
    const scores = (metrics: Record<string, number>): string => Object.entries(metrics).map(([k, v]) => `${shortMetricName(k, task.outputs)} ${v.toFixed(4)}`).join(', ') || 'no metrics';
    lines.push(`  ${`${head} (${task.type})`.padEnd(width)}  ${scores(task.metrics)}`);
    if (task.beam) lines.push(`  ${''.padEnd(width)}  beam ${task.beam.width}: ${scores(task.beam.metrics)}`);
  }
  return lines;
}

/** `bleu` for `bleu_tokens_caption`, `recall@5` for `recall@5_x_text`: a metric's name without the outputs it reads. */
function shortMetricName(name: string, outputs: string[]): string {
  const modalities = outputs.filter((o) => o.startsWith('embedding_')).map((o) => o.slice('embedding_'.length));
  const suffixes = [...outputs.map((o) => `_${o}`), ...(modalities.length > 0 ? [`_${modalities.join('_')}`] : [])];
  const suffix = suffixes.filter((x) => name.endsWith(x) && name.length > x.length).sort((a, b) => b.length - a.length)[0];
  return suffix ? name.slice(0, -suffix.length) : name;
}
