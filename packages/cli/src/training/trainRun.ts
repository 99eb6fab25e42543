import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError, createMultimodalModel, formatShape, registry, tf, type MultimodalModel, type Preprocessor } from '@polyfuse/core';
import { formatIssue, type SampleIssue, type SplitName } from '@polyfuse/data';
import { loadDataset, type Dataset } from '@polyfuse/data/node';
import { loadModel, writeFileAtomic } from '@polyfuse/core/node';
import {
  EarlyStopping,
  Trainer,
  type Callback,
  type LossTerm,
  type LearningRateSchedule,
  type Optimizer,
  type ReplicaGroup,
  type TrainerOptions,
  type WeightingStrategy,
  taskLoss,
  type RegistryLoss,
} from '@polyfuse/trainer';
import { CheckpointCallback, JsonlLogger, readCheckpoint, runReplicas } from '@polyfuse/trainer/node';
import type { ReplicaData, ReplicaSummary } from './trainReplica.js';
import type { RunConfig } from '../config/runConfig.js';
import { resolvedConfig } from '../config/loadConfig.js';
import { preprocessingState } from '../data/preprocessingState.js';
import { toDatasetSpec } from '../config/toDatasetSpec.js';
import { exists, runPaths, writeModelFolder } from '../run/runFolder.js';
import { silentProgress, type Progress } from '../program/progress.js';
import { collectMaskedOutputs, modalityContribution, robustnessCurves, scoreSource } from './evaluate.js';
import { randomModalityDropout } from './modalityDropout.js';
import { progressCallback } from './progressCallback.js';
import { createTaskMetrics, detokenizers } from './taskMetrics.js';
import { evaluateTasks } from './evaluateTasks.js';
import { withDataSizes } from './dataSizes.js';
import { checkResumeConfig } from '../config/configChanges.js';
import { prepareOutputFolder } from '../run/outputFolder.js';

export interface TrainResult {
  outDir: string;
  /** Epochs completed. */
  epochs: number;
  /** True when the abort signal (Ctrl-C) ended training early; `checkpoints/last` holds where it stopped. */
  interrupted: boolean;
  /** Why training stopped before `training.epochs`, e.g. early stopping. */
  stoppedEarly?: string;
  evaluation?: Record<string, unknown>;
}

export interface TrainRunOptions {
  outDir: string;
  resume?: boolean;
  progress?: Progress;
  /** When aborted, training finishes the current step, saves `checkpoints/last` and returns. */
  signal?: AbortSignal;
  /** Data-parallel threads; overrides `training.replicas`. */
  replicas?: number;
  /**
   * With `resume`: config fields that may differ from the run's saved config
   * (each one of `resumeSafeFields`). Any other difference is refused.
   */
  allowConfigChanges?: string[];
}

/**
 * Trains a model from a run config with @polyfuse/trainer's Trainer and
 * writes a complete run folder (see runFolder.ts). The config's loss terms,
 * weighting strategy, optimizer, schedule and metrics are built from the
 * registry (`loss/`, `weighting/`, `optimizer/`, `schedule/`, `metric/`);
 * the trainer's checkpoint callback keeps `checkpoints/last` and `best`
 * (monitored on the first validation metric) and its JSONL logger writes
 * `logs/train.jsonl`. With `resume`, training continues from
 * `checkpoints/last` exactly (weights, optimizer, weighting, schedule and the
 * position in the epoch). The data comes from @polyfuse/data: the manifest is
 * read and split, preprocessors are fitted on the training split, training
 * batches are augmented and shuffled per epoch, bad samples are skipped and
 * reported. Afterwards the best model is saved to `model/` with the fitted
 * preprocessing state and evaluated into `evaluation.json`.
 */
export async function trainRun(config: RunConfig, options: TrainRunOptions): Promise<TrainResult> {
  const progress = options.progress ?? silentProgress;
  const paths = runPaths(options.outDir);
  const { training } = config;
  const checkpointDir = path.resolve(options.outDir, training.checkpointDir);
  const lastCheckpoint = path.join(checkpointDir, 'last');
  // Fails at once where the run cannot be written (procfs, read-only, under a file) instead of after the data is read.
  await prepareOutputFolder(options.outDir, 'the run folder');
  if (options.resume && !(await exists(path.join(lastCheckpoint, 'model.json')))) {
    throw new InputError(`--resume: no checkpoint at ${lastCheckpoint}. Train without --resume first, or point --out at the run to resume.`);
  }
  if (options.resume && (await exists(paths.config))) {
    // A resumed run must be the same training: refuse a config that changes the data order, the model or the optimizer.
    let saved: unknown;
    try {
      saved = JSON.parse(await fs.readFile(paths.config, 'utf8'));
    } catch (error) {
      throw new InputError(`--resume: ${paths.config} is not valid JSON (${(error as Error).message}); the run folder is damaged.`);
    }
    const changes = checkResumeConfig(saved, JSON.parse(JSON.stringify(resolvedConfig(config))), options.allowConfigChanges ?? [], paths.config);
    for (const change of changes) progress.log(`Config change allowed on resume: ${change.path} ${JSON.stringify(change.before)} -> ${JSON.stringify(change.after)}`);
  }

  progress.log(`Reading ${config.data.manifest}`);
  const spec = toDatasetSpec(config.data, config.baseDir, training.seed);
  if (!(await exists(spec.manifest))) {
    throw new InputError(`data.manifest: ${spec.manifest} does not exist (the path is relative to the config file, ${config.baseDir}).`);
  }
  const dataset = await loadDataset(spec);
  // Every sample is preprocessed once up front, so unreadable files are skipped before the splits are counted.
  const shown = { count: 0 };
  const showIssue = (issue: SampleIssue): void => {
    if (shown.count++ < shownIssues) progress.log(`skipped ${formatIssue(issue)}`);
  };
  dataset.issues.forEach(showIssue);
  dataset.onIssue = showIssue;
  progress.start('Checking samples', dataset.splits.train.length + dataset.splits.validation.length + dataset.splits.test.length);
  const unusableLines = await dataset.dropUnusable({ onProgress: (done) => progress.update(done), ...(options.signal ? { signal: options.signal } : {}) });
  progress.finish();
  if (options.signal?.aborted) {
    progress.log(`Stopped before training started; no checkpoint was written${options.resume ? ` (${lastCheckpoint} is unchanged)` : ''}.`);
    return { outDir: options.outDir, epochs: 0, interrupted: true };
  }
  await writeSkipped(paths.skipped, dataset.issues);
  const skippedBeforeTraining = dataset.issues.length;
  const updateSkipped = async (): Promise<void> => {
    if (dataset.issues.length === skippedBeforeTraining) return;
    await writeSkipped(paths.skipped, dataset.issues);
    progress.log(`Skipped ${dataset.issues.length} sample(s) in total; every one is listed in ${paths.skipped}`);
  };
  const summary = dataset.summary();
  progress.log(`Samples: ${Object.entries(summary.samples).map(([name, n]) => `${name} ${n}`).join(', ')}${skippedLine(dataset.issues.length, shown.count, paths.skipped)}`);
  if (Object.values(summary.samples).every((n) => n === 0)) {
    throw new InputError(`${spec.manifest}: no usable samples (${dataset.issues.length} skipped; every one is listed in ${paths.skipped}).`);
  }

  let model = createMultimodalModel(withDataSizes(config.model, dataset.preprocessors), { targets: dataset.targetInfo() });
  inputSpecs(model, dataset);
  const label = mainLabel(config);
  if (config.model.head) checkOutputSize(model, dataset.labels[label].classes.length, label);

  const metrics = createTaskMetrics(config, dataset);
  const monitorMetric = metrics.find((m) => m.name === (training.monitor ?? metrics[0].name)) ?? metrics[0];
  const hasValidation = dataset.splits.validation.length > 0;
  const preprocessing = preprocessingState(spec, dataset.getState());
  const monitor = hasValidation ? `val.${monitorMetric.name}` : null;
  const mode = training.monitorMode ?? (monitorMetric.higherIsBetter ? 'max' : 'min');
  const checkpoints = new CheckpointCallback({ dir: checkpointDir, monitor, mode });
  // Training batches are augmented (preprocessors' training mode) and shuffled per epoch by the dataset's seed.
  const train = dataset.loader('train', { batchSize: training.batchSize, shuffle: true, augment: true });
  const callbacks: Callback[] = [checkpoints, new JsonlLogger(paths.logs, { steps: true }), progressCallback(progress, training.epochs, train.batchCount!, train.size)];
  if (training.earlyStoppingPatience > 0 && monitor) {
    callbacks.push(new EarlyStopping({ monitor, mode, patience: training.earlyStoppingPatience, minDelta: 0 }));
  }
  const replicas = options.replicas ?? training.replicas;
  if (replicas > 1) progress.log(`Training data-parallel in ${replicas} threads`);
  const trainWith = async (group?: ReplicaGroup): Promise<TrainResult> => {
    const trainer = new Trainer({ ...trainerOptions(config, model, group), metrics, callbacks, detokenize: detokenizers(dataset) });

    try {
      if (options.resume) {
        await trainer.restore(await readCheckpoint(lastCheckpoint), lastCheckpoint);
        progress.log(`Resuming from ${lastCheckpoint} at epoch ${trainer.state.epoch + 1}, batch ${trainer.state.batchInEpoch + 1}`);
        // Keep the log consistent with the restored position: drop records written after the checkpoint.
        const kept = (await fs.readFile(paths.logs, 'utf8').catch(() => ''))
          .split('\n')
          .filter((line) => line.trim() !== '' && (JSON.parse(line) as { step: number }).step <= trainer.state.step);
        await writeFileAtomic(paths.logs, kept.map((line) => `${line}\n`).join(''));
      } else {
        await fs.rm(paths.logs, { force: true });
      }
      await writeFileAtomic(paths.config, JSON.stringify(resolvedConfig(config), null, 2));
      const validation = hasValidation ? dataset.loader('validation', { batchSize: training.batchSize }) : undefined;
      const result = await trainer.fit(train, { epochs: training.epochs, ...(validation ? { validation } : {}), ...(options.signal ? { signal: options.signal } : {}) });
      if (result.interrupted) {
        await updateSkipped();
        progress.log(`Stopped. Checkpoint saved to ${lastCheckpoint}; continue with --resume.`);
        return { outDir: options.outDir, epochs: result.epochs, interrupted: true };
      }
      if (result.stoppedEarly) progress.log(`Stopped early: ${result.stoppedEarly}`);
      if (monitor && (await exists(path.join(checkpoints.bestDir, 'model.json')))) {
        const best = await loadModel(checkpoints.bestDir);
        model.dispose();
        model = best;
      }
      await writeModelFolder(paths.model, model, preprocessing);
      const evaluation = await evaluateDataset(model, dataset, config, label, progress);
      await writeFileAtomic(paths.evaluation, JSON.stringify(evaluation, null, 2));
      await updateSkipped();
      return { outDir: options.outDir, epochs: result.epochs, interrupted: false, ...(result.stoppedEarly ? { stoppedEarly: result.stoppedEarly } : {}), evaluation };
    } finally {
      trainer.dispose();
      model.dispose();
    }
  };
  if (replicas === 1) return trainWith();
  const trainSamples = dataset.cachedSamples('train');
  const replicaData: ReplicaData = { config, backend: tf.getBackend(), resume: options.resume ?? false, lastCheckpoint, unusableLines, ...(trainSamples.length > 0 ? { trainSamples } : {}) };
  const [result] = await runReplicas<ReplicaData, TrainResult | ReplicaSummary>({
    replicas,
    module: new URL('./trainReplica.js', import.meta.url),
    data: replicaData,
    main: (group) => trainWith(group),
  });
  return result as TrainResult;
}

/**
 * The Trainer options every replica builds alike from the config (callbacks
 * and metrics are replica 0's business): losses, optimizer, weighting,
 * schedule, clipping, modality dropout, seed and the replica group.
 */
export function trainerOptions(config: RunConfig, model: MultimodalModel, group?: ReplicaGroup): TrainerOptions {
  const { training } = config;
  const losses: LossTerm[] = Object.entries(config.loss.terms).map(([name, term]) => {
    // A contrastive term also reads the learnable temperature when the model has one.
    const outputs = term.outputs && model.outputNames.includes('logit_scale') ? [...term.outputs, 'logit_scale'] : (term.outputs ?? [term.output]);
    // A decoder's padding id is the tokenizer's: sequence losses ignore exactly the padded steps.
    const padId = model.metadata.targets?.[term.target]?.padId;
    const config = term.loss === 'sequence-cross-entropy' && padId !== undefined ? { ...term.config, padId } : term.config;
    return {
      name,
      loss: taskLoss(registry.create<RegistryLoss>('loss', term.loss, config, `loss.terms.${name}.config`), outputs),
      output: term.output,
      ...(outputs.length > 1 ? { outputs } : {}),
      target: term.target,
    };
  });
  return {
    model,
    losses,
    optimizer: registry.create<Optimizer>('optimizer', config.optimizer.name, config.optimizer.config, 'optimizer.config'),
    weighting: registry.create<WeightingStrategy>('weighting', config.loss.weighting.name, config.loss.weighting.config, 'loss.weighting.config'),
    ...(config.schedule ? { schedule: registry.create<LearningRateSchedule>('schedule', config.schedule.name, config.schedule.config, 'schedule.config') } : {}),
    ...(training.clipGradientNorm > 0 ? { clipGradients: { norm: training.clipGradientNorm } } : {}),
    ...(training.modalityDropout > 0 ? { modalityDropout: randomModalityDropout(training.modalityDropout) } : {}),
    seed: training.seed,
    ...(group ? { replicas: group } : {}),
  };
}

/** The label the main output (`logits`) is trained on. */
export function mainLabel(config: RunConfig): string {
  const main = Object.values(config.loss.terms).find((t) => t.output === 'logits');
  return main?.target ?? Object.keys(config.data.labels)[0];
}

/**
 * Scores the test split (else validation, else train) of a dataset and, as
 * configured, per-modality contribution and robustness curves; the result is
 * `evaluation.json`.
 */
export async function evaluateDataset(
  model: MultimodalModel,
  dataset: Dataset,
  config: RunConfig,
  label: string,
  progress: Progress,
  split: SplitName = dataset.splits.test.length > 0 ? 'test' : dataset.splits.validation.length > 0 ? 'validation' : 'train',
): Promise<Record<string, unknown>> {
  const source = dataset.loader(split, { batchSize: config.training.batchSize });
  if (!config.model.head) {
    // Named heads only: every task's metrics and examples (captions, matches, values).
    const out = await evaluateTasks(model, dataset, config, split);
    progress.log(`Evaluation on ${split} (${out.count} samples): ${Object.entries(out.metrics as Record<string, number>).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
    return out;
  }
  const mainMetrics = mainOutputMetrics(config, label);
  const scores = await scoreSource(model, source, { label, metrics: mainMetrics });
  progress.log(`Evaluation on ${split} (${scores.count} samples): ${Object.entries(scores.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
  const out: Record<string, unknown> = {
    split,
    count: scores.count,
    label,
    classes: dataset.labels[label].classes,
    metrics: scores.metrics,
    loss: scores.loss,
    confusion: scores.confusion,
  };
  if (config.model.heads) {
    const tasks = await evaluateTasks(model, dataset, config, split);
    out.tasks = tasks.tasks;
    Object.assign(out.metrics as Record<string, number>, tasks.metrics);
  }
  const extras = extraPasses(model, config, label);
  const metric = mainMetrics[0];
  const metricName = Object.keys(scores.metrics)[0];
  if (metric && (extras.contribution || extras.robustness.length > 0)) {
    // One pass per modality serves both: see collectMaskedOutputs.
    const outputs = await collectMaskedOutputs(model, source, { metric });
    try {
      if (extras.contribution) out.contribution = { metric: metricName, modalities: await modalityContribution(model, source, { label, metric, outputs }) };
      if (extras.robustness.length > 0) {
        out.robustness = { metric: metricName, points: await robustnessCurves(model, source, { label, metric, rates: extras.robustness, seed: config.training.seed, outputs }) };
      }
    } finally {
      outputs.dispose();
    }
  }
  return out;
}

/** The metrics of the main output (`logits`) on `label`: all of them unless the run also has named heads. */
function mainOutputMetrics(config: RunConfig, label: string): RunConfig['metrics'] {
  return !config.model.heads ? config.metrics : config.metrics.filter((m) => (m.config?.output ?? 'logits') === 'logits' && (m.config?.target ?? label) === label && !m.config?.outputs);
}

/**
 * The passes `evaluateDataset` runs after the scores, as the run's
 * `evaluation` section configures them: leave-one-modality-out
 * `contribution` (one pass per modality) and `robustness` (one pass per
 * modality and rate; classification runs with `model.head` only). None for a
 * model of one modality or without metrics.
 */
export function extraPasses(model: MultimodalModel, config: RunConfig, label: string): { contribution: boolean; robustness: number[] } {
  const metrics = config.model.head ? mainOutputMetrics(config, label) : config.metrics;
  if (model.modalities.length < 2 || metrics.length === 0) return { contribution: false, robustness: [] };
  return { contribution: config.evaluation.contribution, robustness: config.model.head ? config.evaluation.robustness : [] };
}

/** The model's input shape and dtype per modality, checked against what each preprocessor produces. */
export function inputSpecs(model: MultimodalModel, dataset: { preprocessors: Record<string, Preprocessor> }): Record<string, { shape: number[]; dtype: 'float32' | 'int32' }> {
  const specs: Record<string, { shape: number[]; dtype: 'float32' | 'int32' }> = {};
  for (const modality of model.modalities) {
    const preprocessor = dataset.preprocessors[modality];
    if (!preprocessor) throw new InputError(`The model has modality '${modality}' but data.modalities does not.`);
    const shape = model.metadata.inputShapes[modality];
    const produced = preprocessor.outputShape;
    if (produced.length !== shape.length || produced.some((d, i) => d !== shape[i] && d !== -1 && shape[i] !== -1)) {
      throw new InputError(
        `data.modalities.${modality}: the preprocessor produces ${formatShape(produced)} per sample but model.encoders.${modality} expects ${formatShape(shape)}. Make their options agree.`,
      );
    }
    specs[modality] = { shape, dtype: model.metadata.inputDtypes[modality] };
  }
  return specs;
}

function checkOutputSize(model: MultimodalModel, classes: number, label: string): void {
  const output = model.model.outputs[0].shape;
  const size = output[output.length - 1];
  if (size !== classes) {
    throw new InputError(`model.head produces ${size} logits but data.labels.${label} has ${classes} classes. Set the head's number of classes to ${classes}.`);
  }
}

/** Skipped samples printed one by one; the rest are counted (all are in `skipped.jsonl`). */
const shownIssues = 5;

/** The end of the `Samples:` line: how many were skipped in total and where they are listed. */
function skippedLine(total: number, shown: number, file: string): string {
  if (total === 0) return '';
  const more = total > Math.min(shown, shownIssues) ? `, ${total - Math.min(shown, shownIssues)} not shown above` : '';
  return ` (usable samples; ${total} skipped${more}; every one is listed in ${file})`;
}

/** Writes every skipped sample to the run folder, one JSON object per line in manifest order: manifest, line, id, field, reason. */
export async function writeSkipped(file: string, issues: SampleIssue[]): Promise<void> {
  const inOrder = [...issues].sort((a, b) => a.source.localeCompare(b.source) || a.line - b.line);
  const lines = inOrder.map((issue) =>
    JSON.stringify({ manifest: issue.source, line: issue.line, ...(issue.id !== undefined ? { id: issue.id } : {}), ...(issue.field !== undefined ? { field: issue.field } : {}), reason: issue.message }),
  );
  await writeFileAtomic(file, lines.map((line) => `${line}\n`).join(''));
}
