import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  tf,
  InputError,
  SeededRandom,
  createMultimodalModel,
  deriveSeed,
  formatShape,
  withSeed,
  type MultimodalModel,
} from '@polyfuse/core';
import { writeFileAtomic } from '@polyfuse/core/node';
import type { RunConfig } from '../config/runConfig.js';
import { resolvedConfig } from '../config/loadConfig.js';
import { prepareDataset, type PreparedDataset } from '../data/prepareDataset.js';
import { preprocessingState, type PreprocessingState } from '../data/preprocessingState.js';
import { makeBatch, disposeBatch, type InputSpecs } from '../data/makeBatch.js';
import { formatIssue } from '../data/readManifest.js';
import { exists, readJsonl, readModelFolder, runPaths, writeModelFolder } from '../run/runFolder.js';
import { silentProgress, type Progress } from '../program/progress.js';
import { trainingRegistry } from './builtins/index.js';
import type { ClassificationMetric, LossFunction, Schedule, WeightingStrategy } from './contracts.js';
import { restoreOptimizerState, saveOptimizerState, type SerializedOptimizerState } from './optimizerState.js';
import { modalityContribution, robustnessCurves, scoreSplit } from './evaluate.js';

/** What `trainRun` saves in `checkpoints/<name>/trainer-state.json`. */
interface TrainerState {
  /** Epochs completed. */
  epoch: number;
  step: number;
  rng: number;
  weighting: unknown;
  optimizer: SerializedOptimizerState;
  best: { epoch: number; score: number } | null;
  epochsWithoutImprovement: number;
  /** Set when a stop request ended an epoch early: where to pick it up exactly. */
  partial?: { batch: number; epochRng: number; termSums: Record<string, number>; totalSum: number };
}

export interface TrainResult {
  outDir: string;
  epochs: number;
  /** True when a stop request (Ctrl-C) ended training early; a checkpoint was saved. */
  interrupted: boolean;
  evaluation?: Record<string, unknown>;
}

export interface TrainRunOptions {
  outDir: string;
  resume?: boolean;
  progress?: Progress;
  /** Polled between steps; when it returns true, training saves a checkpoint and returns. */
  shouldStop?: () => boolean;
}

/**
 * Trains a model from a run config and writes a complete run folder (see
 * runFolder.ts). Each step computes every loss term on the batch, combines
 * them with the weighting strategy's weights, and applies
 * `tf.variableGrads` of the total through the optimizer; a step runs inside
 * `withSeed(deriveSeed(seed, 'step:<n>'))` so dropout is reproducible. After
 * each epoch: validation metrics, the weighting update, `last` (and, when
 * improved, `best`) checkpoints. With `resume`, training continues from
 * `checkpoints/last` (model, optimizer slots, RNG, weighting, epoch).
 */
export async function trainRun(config: RunConfig, options: TrainRunOptions): Promise<TrainResult> {
  const progress = options.progress ?? silentProgress;
  const paths = runPaths(options.outDir);
  const checkpointDir = path.resolve(options.outDir, config.training.checkpointDir);
  const lastCheckpoint = path.join(checkpointDir, 'last');
  const bestCheckpoint = path.join(checkpointDir, 'best');
  const { training } = config;

  progress.log(`Reading ${config.data.manifest}`);
  const dataset = await prepareDataset(config.data, { baseDir: config.baseDir, seed: training.seed });
  reportIssues(dataset, progress);
  const counts = Object.entries(dataset.splits).map(([name, s]) => `${name} ${s.length}`).join(', ');
  progress.log(`Samples: ${counts}${dataset.issues.length ? ` (${dataset.issues.length} skipped)` : ''}`);
  const preprocessing = preprocessingState(config.data, dataset.preprocessors, dataset.classes);

  let model: MultimodalModel;
  let state: TrainerState | undefined;
  if (options.resume) {
    if (!(await exists(path.join(lastCheckpoint, 'trainer-state.json')))) {
      throw new InputError(`--resume: no checkpoint at ${lastCheckpoint}. Train without --resume first, or point --out at the run to resume.`);
    }
    model = (await readModelFolder(lastCheckpoint)).model;
    state = JSON.parse(await fs.readFile(path.join(lastCheckpoint, 'trainer-state.json'), 'utf8')) as TrainerState;
    progress.log(`Resuming from ${lastCheckpoint} after epoch ${state.epoch}`);
  } else {
    model = createMultimodalModel(config.model);
  }
  const specs = inputSpecs(model, dataset);
  const mainLabel = config.loss.terms[Object.keys(config.loss.terms).find((t) => config.loss.terms[t].output === 'logits') ?? '']?.target ?? Object.keys(config.data.labels)[0];
  checkOutputSize(model, dataset.classes[mainLabel].length, mainLabel);

  const termNames = Object.keys(config.loss.terms);
  const lossFunctions = Object.fromEntries(
    termNames.map((t) => [t, trainingRegistry.create<LossFunction>('loss', config.loss.terms[t].loss, config.loss.terms[t].config)]),
  );
  const weighting = trainingRegistry.create<WeightingStrategy>('weighting', config.loss.weighting.name, config.loss.weighting.config, 'loss.weighting.config', { terms: termNames });
  const optimizer = trainingRegistry.create<tf.Optimizer>('optimizer', config.optimizer.name, config.optimizer.config, 'optimizer.config');
  const baseLearningRate = (config.optimizer.config?.learningRate as number | undefined) ?? (optimizer as unknown as { learningRate: number }).learningRate;
  const schedule = trainingRegistry.create<Schedule>('schedule', config.schedule.name, config.schedule.config, 'schedule.config', { epochs: training.epochs });
  const monitor = training.monitor ?? config.metrics[0].name;
  const monitorMetric = trainingRegistry.create<ClassificationMetric>('metric', monitor, config.metrics.find((m) => m.name === monitor)?.config);
  const variables = model.trainableVariables();
  const rng = new SeededRandom(deriveSeed(training.seed, 'train'));

  let startEpoch = 0;
  let step = 0;
  let best: TrainerState['best'] = null;
  let epochsWithoutImprovement = 0;
  let partial: TrainerState['partial'];
  if (state) {
    partial = state.partial;
    startEpoch = state.epoch;
    step = state.step;
    rng.setState(state.rng);
    weighting.setState(state.weighting);
    best = state.best;
    epochsWithoutImprovement = state.epochsWithoutImprovement;
    await restoreOptimizerState(optimizer, state.optimizer);
    const kept = (await readJsonl(paths.logs)).filter((r) => r.epoch < startEpoch);
    await writeFileAtomic(paths.logs, kept.map((r) => JSON.stringify(r) + '\n').join(''));
  } else {
    await fs.rm(paths.logs, { force: true });
  }
  await fs.mkdir(path.dirname(paths.logs), { recursive: true });
  await writeFileAtomic(paths.config, JSON.stringify(resolvedConfig(config), null, 2));
  const log = await fs.open(paths.logs, 'a');

  const saveCheckpoint = async (dir: string, epoch: number, partialEpoch?: TrainerState['partial']): Promise<void> => {
    const trainerState: TrainerState = {
      epoch,
      step,
      rng: rng.getState(),
      weighting: weighting.getState(),
      optimizer: await saveOptimizerState(optimizer),
      best,
      epochsWithoutImprovement,
      ...(partialEpoch ? { partial: partialEpoch } : {}),
    };
    await writeModelFolder(dir, model, preprocessing, { 'trainer-state.json': JSON.stringify(trainerState) });
  };

  let interrupted = false;
  let epoch = startEpoch;
  try {
    for (; epoch < training.epochs; epoch++) {
      const learningRate = schedule(epoch, baseLearningRate);
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      const weights = weighting.weights();
      // The shuffle and each batch's modality dropout draw from one RNG; a resumed
      // partial epoch replays the shuffle from the epoch's starting state.
      const epochRng = partial ? partial.epochRng : rng.getState();
      const resumeRng = rng.getState();
      rng.setState(epochRng);
      const order = rng.shuffle(dataset.splits.train.map((_, i) => i));
      if (partial) rng.setState(resumeRng);
      const batches = Math.ceil(order.length / training.batchSize);
      const termSums = partial ? { ...partial.termSums } : Object.fromEntries(termNames.map((t) => [t, 0]));
      let totalSum = partial ? partial.totalSum : 0;
      const firstBatch = partial ? partial.batch : 0;
      partial = undefined;
      progress.start(`epoch ${epoch + 1}/${training.epochs}`, batches);
      for (let b = firstBatch; b < batches; b++) {
        const samples = order.slice(b * training.batchSize, (b + 1) * training.batchSize).map((i) => dataset.splits.train[i]);
        const batch = makeBatch(samples, specs, { modalityDropout: training.modalityDropout, rng });
        const termTensors: Record<string, tf.Scalar> = {};
        const { value, grads } = withSeed(deriveSeed(training.seed, `step:${step}`), () =>
          tf.variableGrads(() => {
            const outputs = model.call(batch, { training: true });
            let total = tf.scalar(0);
            for (const t of termNames) {
              const term = config.loss.terms[t];
              const termLoss = lossFunctions[t](batch.targets[term.target], outputs[term.output]);
              termTensors[t] = tf.keep(termLoss);
              total = total.add(termLoss.mul(weights[t]));
            }
            return total as tf.Scalar;
          }, variables),
        );
        optimizer.applyGradients(grads);
        const total = (await value.data())[0];
        if (!Number.isFinite(total)) {
          throw new InputError(`The training loss became ${total} at epoch ${epoch + 1}, step ${step + 1}. Lower optimizer.config.learningRate or check the inputs for NaN.`);
        }
        const terms = Object.fromEntries(termNames.map((t) => [t, termTensors[t].dataSync()[0]]));
        tf.dispose([value, ...Object.values(grads), ...Object.values(termTensors)]);
        disposeBatch(batch);
        termNames.forEach((t) => (termSums[t] += terms[t] * samples.length));
        totalSum += total * samples.length;
        step++;
        if (step % training.logEvery === 0 || b === batches - 1) {
          await log.write(JSON.stringify({ type: 'step', epoch, step, loss: total, terms, weights, learningRate }) + '\n');
        }
        progress.update(b + 1, `loss ${total.toFixed(4)}`);
        if (options.shouldStop?.() && b < batches - 1) {
          interrupted = true;
          await saveCheckpoint(lastCheckpoint, epoch, { batch: b + 1, epochRng, termSums, totalSum });
          break;
        }
      }
      if (interrupted) {
        progress.finish();
        break;
      }
      const count = dataset.splits.train.length;
      const epochTerms = Object.fromEntries(termNames.map((t) => [t, termSums[t] / count]));
      weighting.update(epochTerms);
      const record: Record<string, unknown> = { type: 'epoch', epoch, step, loss: totalSum / count, terms: epochTerms, weights, learningRate };
      let summary = `loss ${(totalSum / count).toFixed(4)}`;
      if (dataset.splits.validation.length > 0) {
        const scores = scoreSplit(model, dataset.splits.validation, specs, { batchSize: training.batchSize, label: mainLabel, metrics: config.metrics });
        record.validation = { loss: scores.loss, ...scores.metrics };
        summary += ` | val loss ${scores.loss.toFixed(4)} ${Object.entries(scores.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' ')}`;
        const score = scores.metrics[monitor];
        const improved = best === null || (monitorMetric.higherIsBetter ? score > best.score : score < best.score);
        if (improved) {
          best = { epoch, score };
          epochsWithoutImprovement = 0;
        } else epochsWithoutImprovement++;
        if (improved) await saveCheckpoint(bestCheckpoint, epoch + 1);
      }
      await log.write(JSON.stringify(record) + '\n');
      progress.finish(summary);
      await saveCheckpoint(lastCheckpoint, epoch + 1);
      if (training.earlyStoppingPatience > 0 && epochsWithoutImprovement >= training.earlyStoppingPatience) {
        progress.log(`Early stopping: ${monitor} has not improved for ${epochsWithoutImprovement} epochs.`);
        epoch++;
        break;
      }
      if (options.shouldStop?.() && epoch + 1 < training.epochs) {
        interrupted = true;
        epoch++;
        break;
      }
    }
    if (interrupted) {
      progress.log(`Stopped. Checkpoint saved to ${lastCheckpoint}; continue with --resume.`);
      return { outDir: options.outDir, epochs: epoch, interrupted };
    }
    if (best !== null && (await exists(path.join(bestCheckpoint, 'model.json')))) {
      model.dispose();
      model = (await readModelFolder(bestCheckpoint)).model;
    }
    await writeModelFolder(paths.model, model, preprocessing);
    const evaluation = evaluateSplits(model, dataset, specs, config, mainLabel, progress);
    await writeFileAtomic(paths.evaluation, JSON.stringify(evaluation, null, 2));
    return { outDir: options.outDir, epochs: epoch, interrupted: false, evaluation };
  } finally {
    await log.close();
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * Scores the test split (else validation) and, as configured, per-modality
 * contribution and robustness curves; the result is `evaluation.json`.
 */
export function evaluateSplits(
  model: MultimodalModel,
  dataset: Pick<PreparedDataset, 'splits' | 'classes'>,
  specs: InputSpecs,
  config: RunConfig,
  label: string,
  progress: Progress,
): Record<string, unknown> {
  const split = dataset.splits.test.length > 0 ? 'test' : dataset.splits.validation.length > 0 ? 'validation' : 'train';
  const samples = dataset.splits[split];
  const options = { batchSize: config.training.batchSize, label, metrics: config.metrics };
  const scores = scoreSplit(model, samples, specs, options);
  progress.log(`Evaluation on ${split} (${samples.length} samples): ${Object.entries(scores.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
  const out: Record<string, unknown> = { split, count: samples.length, label, classes: dataset.classes[label], metrics: scores.metrics, loss: scores.loss, confusion: scores.confusion };
  const modalities = Object.keys(specs);
  if (modalities.length > 1) {
    const metric = config.metrics[0];
    if (config.evaluation.contribution) out.contribution = modalityContribution(model, samples, specs, { ...options, metric });
    if (config.evaluation.robustness.length > 0) {
      out.robustness = { metric: metric.name, points: robustnessCurves(model, samples, specs, { ...options, metric, rates: config.evaluation.robustness, seed: config.training.seed }) };
    }
  }
  return out;
}

/** The model's input shape and dtype per modality, checked against what each preprocessor produces. */
export function inputSpecs(model: MultimodalModel, dataset: Pick<PreparedDataset, 'preprocessors'>): InputSpecs {
  const specs: InputSpecs = {};
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

function reportIssues(dataset: PreparedDataset, progress: Progress): void {
  const shown = dataset.issues.slice(0, 5);
  for (const issue of shown) progress.log(`skipped ${formatIssue(dataset.manifest, issue)}`);
  if (dataset.issues.length > shown.length) progress.log(`... and ${dataset.issues.length - shown.length} more skipped samples`);
}

export type { PreprocessingState };
