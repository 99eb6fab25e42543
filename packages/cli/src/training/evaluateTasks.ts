import path from 'node:path';
import { tf, generateSequences, type Batch, type MultimodalModel, type NamedHeadInfo } from '@polyfuse/core';
import type { SplitName } from '@polyfuse/data';
import type { Dataset } from '@polyfuse/data/node';
import { evaluateModel, type MetricContext, type TrainingMetric } from '@polyfuse/trainer';
import type { RunConfig } from '../config/runConfig.js';
import { createTaskMetrics, detokenizers } from './taskMetrics.js';
import { dropModalities } from './evaluate.js';

/** One named head's part of evaluation.json. */
export interface TaskEvaluation {
  type: string;
  target: string;
  outputs: string[];
  metrics: Record<string, number>;
  /** Beam-search scores of generated text (decoder heads, evaluation.beamWidth > 1). */
  beam?: { width: number; metrics: Record<string, number> };
  /** Sequence heads: generated and reference texts; match heads: top matches; regression: predicted vs true. */
  examples: Record<string, unknown>[];
  /** Regression heads: up to 2,000 (true, predicted) pairs for a scatter plot, in the target's units. */
  scatter?: { truth: number; predicted: number }[];
}

/**
 * Scores every named head on one split with the run's metrics (generated
 * text greedily; again with beam search when `evaluation.beamWidth` > 1) and
 * collects examples per task for evaluation.json and the report: captions
 * with their references, the top matches of queries, predicted against true
 * values. File inputs are given as absolute paths, so the report can show them.
 */
export async function evaluateTasks(model: MultimodalModel, dataset: Dataset, config: RunConfig, split: SplitName): Promise<{
  split: SplitName;
  count: number;
  metrics: Record<string, number>;
  tasks: Record<string, TaskEvaluation>;
  /** Leave-one-modality-out change of the first metric (evaluation.contribution, several modalities). */
  contribution?: { metric: string; modalities: Record<string, { full: number; without: number; contribution: number }> };
}> {
  const batchSize = config.training.batchSize;
  const detokenize = detokenizers(dataset);
  const metrics = createTaskMetrics(config, dataset);
  const values = await evaluateModel(model, dataset.loader(split, { batchSize }), { losses: [], metrics, weights: {}, epoch: 0, prefix: '', detokenize });
  const all = Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('loss.')));
  const records = new Map(dataset.splits[split].map((r) => [r.id, r]));
  const inputsOf = (id: string): Record<string, unknown> => {
    const record = records.get(id);
    if (!record) return {};
    return Object.fromEntries(
      Object.entries(record.fields)
        .filter(([, v]) => v !== undefined)
        .map(([m, v]) => [m, (config.data.modalities[m]?.type ?? 'file') === 'file' ? path.resolve(dataset.baseDir, String(v)) : v]),
    );
  };
  const tasks: Record<string, TaskEvaluation> = {};
  const heads = model.metadata.heads ?? {};
  const limit = config.evaluation.examples;
  for (const [head, info] of Object.entries(heads)) {
    const mine = metrics.filter((m) => (m.outputs ?? [m.output]).some((o) => info.outputs.includes(o)));
    const task: TaskEvaluation = { type: info.targetType, target: info.target, outputs: info.outputs, metrics: Object.fromEntries(mine.map((m) => [m.name, all[m.name]!])), examples: [] };
    if (info.kind === 'tokens') await sequenceExtras(model, dataset, config, split, head, info, mine, detokenize[info.target]!, inputsOf, task);
    else if (info.kind === 'embedding') await matchExtras(model, dataset, split, batchSize, info, inputsOf, limit, task);
    else if (info.kind === 'values') await regressionExtras(model, dataset, split, batchSize, info, inputsOf, limit, task);
    else await classExtras(model, dataset, split, batchSize, info, inputsOf, limit, task);
    tasks[head] = task;
  }
  const out: Awaited<ReturnType<typeof evaluateTasks>> = { split, count: dataset.splits[split].length, metrics: all, tasks };
  if (model.modalities.length > 1 && config.evaluation.contribution && metrics.length > 0) {
    out.contribution = await taskContribution(model, dataset, split, batchSize, metrics[0]!, all[metrics[0]!.name]!, detokenize);
  }
  return out;
}

/**
 * Each modality's contribution to the run's first metric: its value with
 * every modality present minus its value when that modality alone is masked
 * for every sample (zeros and mask 0, as a missing modality), the same
 * leave-one-modality-out ablation classification runs report.
 */
async function taskContribution(
  model: MultimodalModel,
  dataset: Dataset,
  split: SplitName,
  batchSize: number,
  metric: TrainingMetric,
  full: number,
  detokenize: Record<string, (ids: number[]) => string>,
): Promise<{ metric: string; modalities: Record<string, { full: number; without: number; contribution: number }> }> {
  const modalities: Record<string, { full: number; without: number; contribution: number }> = {};
  for (const modality of model.modalities) {
    const loader = dataset.loader(split, { batchSize });
    const masked = {
      batchCount: loader.batchCount,
      async *batches(epoch: number) {
        for await (const batch of loader.batches(epoch)) {
          try {
            yield { ...dropModalities(batch, 0, (_, m) => m === modality), ...(batch.references ? { references: batch.references } : {}) };
          } finally {
            tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
          }
        }
      },
    };
    const values = await evaluateModel(model, masked, { losses: [], metrics: [metric], weights: {}, epoch: 0, prefix: '', detokenize });
    const without = values[metric.name]!;
    modalities[modality] = { full, without, contribution: full - without };
  }
  return { metric: metric.name, modalities };
}

type InputsOf = (id: string) => Record<string, unknown>;

/** Runs `visit` on every batch of a split, in order, and disposes it. */
async function eachBatch(dataset: Dataset, split: SplitName, batchSize: number, visit: (batch: Batch) => void | boolean): Promise<void> {
  for await (const batch of dataset.loader(split, { batchSize }).batches(0)) {
    let stop = false;
    try {
      stop = visit(batch) === true;
    } finally {
      tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
    }
    if (stop) break;
  }
}

async function sequenceExtras(
  model: MultimodalModel,
  dataset: Dataset,
  config: RunConfig,
  split: SplitName,
  head: string,
  info: NamedHeadInfo,
  metrics: TrainingMetric[],
  toText: (ids: number[]) => string,
  inputsOf: InputsOf,
  task: TaskEvaluation,
): Promise<void> {
  const width = config.evaluation.beamWidth;
  for (const m of metrics) m.reset();
  await eachBatch(dataset, split, config.training.batchSize, (batch) => {
    // Greedy scores come from evaluateModel above; decode greedily again only for the examples still wanted.
    const greedy = task.examples.length < config.evaluation.examples ? generateSequences(model, batch, head).ids.map(toText) : [];
    const beam = width > 1 ? generateSequences(model, batch, head, { beamWidth: width }).ids.map(toText) : undefined;
    if (beam) {
      const context: MetricContext = { batch, outputs: {}, generated: () => beam };
      // Generated-text metrics read the texts from the context; the target stands in for the prediction's rows.
      for (const m of metrics) m.update(batch.targets[info.target]!, batch.targets[info.target]!, context);
    }
    batch.ids.forEach((id, i) => {
      if (task.examples.length >= config.evaluation.examples) return;
      task.examples.push({ id, inputs: inputsOf(id), greedy: greedy[i], ...(beam ? { beam: beam[i] } : {}), references: batch.references?.[info.target]?.[i] ?? [] });
    });
    return !beam && task.examples.length >= config.evaluation.examples;
  });
  if (width > 1) task.beam = { width, metrics: Object.fromEntries(metrics.map((m) => [m.name, m.compute()])) };
}

async function matchExtras(model: MultimodalModel, dataset: Dataset, split: SplitName, batchSize: number, info: NamedHeadInfo, inputsOf: InputsOf, limit: number, task: TaskEvaluation): Promise<void> {
  const [a, b] = info.outputs.filter((o) => o.startsWith('embedding_')) as [string, string];
  const rows: { id: string; group: number; a: Float32Array; b: Float32Array }[] = [];
  await eachBatch(dataset, split, batchSize, (batch) => {
    const outputs = model.call(batch, { training: false });
    try {
      const [ea, eb] = [normalise(outputs[a]!), normalise(outputs[b]!)];
      const groups = batch.targets[info.target]!.dataSync();
      const width = outputs[a]!.shape[1]!;
      batch.ids.forEach((id, i) => rows.push({ id, group: groups[i]!, a: ea.slice(i * width, (i + 1) * width), b: eb.slice(i * width, (i + 1) * width) }));
    } finally {
      tf.dispose(Object.values(outputs));
    }
  });
  const queries = rows.slice(0, limit);
  for (const query of queries) {
    const scored = rows.map((r) => ({ r, score: dot(query.a, r.b) })).sort((x, y) => y.score - x.score);
    const rank = scored.findIndex((s) => s.r.group === query.group) + 1;
    task.examples.push({
      query: { id: query.id, modality: a.slice('embedding_'.length), inputs: inputsOf(query.id) },
      rankOfMatch: rank,
      top: scored.slice(0, 5).map((s) => ({ id: s.r.id, score: Number(s.score.toFixed(4)), match: s.r.group === query.group, inputs: inputsOf(s.r.id) })),
    });
  }
}

async function regressionExtras(model: MultimodalModel, dataset: Dataset, split: SplitName, batchSize: number, info: NamedHeadInfo, inputsOf: InputsOf, limit: number, task: TaskEvaluation): Promise<void> {
  const target = dataset.targets[info.target] as unknown as { invert?: (v: ArrayLike<number>) => Float32Array };
  const invert = (values: Float32Array) => (target.invert ? target.invert(values) : values);
  const scatter: { truth: number; predicted: number }[] = [];
  await eachBatch(dataset, split, batchSize, (batch) => {
    const outputs = model.call(batch, { training: false });
    try {
      const predicted = invert(outputs[info.outputs[0]!]!.dataSync() as Float32Array);
      const truth = invert(batch.targets[info.target]!.dataSync() as Float32Array);
      const width = predicted.length / batch.ids.length;
      batch.ids.forEach((id, i) => {
        if (task.examples.length < limit) task.examples.push({ id, inputs: inputsOf(id), truth: Array.from(truth.slice(i * width, (i + 1) * width)), predicted: Array.from(predicted.slice(i * width, (i + 1) * width)) });
        for (let k = 0; k < width && scatter.length < 2000; k++) scatter.push({ truth: truth[i * width + k]!, predicted: predicted[i * width + k]! });
      });
    } finally {
      tf.dispose(Object.values(outputs));
    }
  });
  task.scatter = scatter;
}

async function classExtras(model: MultimodalModel, dataset: Dataset, split: SplitName, batchSize: number, info: NamedHeadInfo, inputsOf: InputsOf, limit: number, task: TaskEvaluation): Promise<void> {
  const classes = dataset.targets[info.target]?.classes ?? [];
  await eachBatch(dataset, split, batchSize, (batch) => {
    const outputs = model.call(batch, { training: false });
    try {
      const logits = outputs[info.outputs[0]!]!;
      const predicted = info.targetType === 'multilabel' ? undefined : tf.tidy(() => tf.argMax(logits, -1)).dataSync();
      const probabilities = info.targetType === 'multilabel' ? tf.tidy(() => tf.sigmoid(logits)).arraySync() as number[][] : undefined;
      const truth = batch.targets[info.target]!.arraySync() as number[] | number[][];
      batch.ids.forEach((id, i) => {
        if (task.examples.length >= limit) return;
        if (predicted) task.examples.push({ id, inputs: inputsOf(id), truth: classes[truth[i] as number], predicted: classes[predicted[i]!] });
        else task.examples.push({ id, inputs: inputsOf(id), truth: classes.filter((_, k) => (truth[i] as number[])[k]! > 0.5), predicted: classes.filter((_, k) => probabilities![i]![k]! > 0.5) });
      });
    } finally {
      tf.dispose(Object.values(outputs));
    }
    return task.examples.length >= limit;
  });
}

function normalise(t: tf.Tensor): Float32Array {
  return tf.tidy(() => tf.div(t, tf.maximum(tf.norm(t, 'euclidean', -1, true), 1e-12))).dataSync() as Float32Array;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
