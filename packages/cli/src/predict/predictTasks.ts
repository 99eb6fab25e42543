import { tf, generateSequences, type Batch, type MultimodalModel, type NamedHeadInfo } from '@polyfuse/core';
import type { SplitName, Target } from '@polyfuse/data';
import type { Dataset } from '@polyfuse/data/node';
import { namedHeads, type MatchHead } from './taskOptions.js';

/** A class head: the top class and every class's probability (softmax). */
export interface ClassHeadPrediction {
  prediction: string;
  probabilities: Record<string, number>;
}

/** A multi-label head: the classes with probability > 0.5 and every class's probability (sigmoid). */
export interface MultilabelHeadPrediction {
  prediction: string[];
  probabilities: Record<string, number>;
}

/** A regression head: the value (a list for a target of several numbers), in the target's units. */
export interface RegressionHeadPrediction {
  prediction: number | number[];
}

/** A decoder head: the generated text; with beam search, the width and the length-normalised log-probability. */
export interface SequenceHeadPrediction {
  prediction: string;
  beamWidth?: number;
  score?: number;
}

/**
 * A match head with `--query`: the candidates whose other-modality embedding
 * is nearest (cosine similarity) to this sample's query embedding, best first.
 * `modality` is given when the head projects more than two modalities.
 */
export interface MatchHeadPrediction {
  query: string;
  matches: { id: string; score: number; modality?: string }[];
  /** Why there are no matches (the query modality is absent from this sample). */
  note?: string;
}

export type HeadPrediction = ClassHeadPrediction | MultilabelHeadPrediction | RegressionHeadPrediction | SequenceHeadPrediction | MatchHeadPrediction;

/**
 * One sample's predictions: `{ id, <head>: {...} }` per named head; a model
 * that also has the main classification output (`model.head`) adds its
 * `prediction` and `probabilities` at the top, as a classification run does.
 */
export type TaskPrediction = { id: string; prediction?: string; probabilities?: Record<string, number> } & { [head: string]: HeadPrediction | string | Record<string, number> | undefined };

/** What each column group of the CSV holds: the heads in order, with their classes, widths and options. */
export interface TaskLayout {
  /** Classes of the main `logits` output, when the model has one. */
  mainClasses?: string[];
  heads: HeadLayout[];
}

export type HeadLayout =
  | { head: string; type: 'class' | 'multilabel'; classes: string[] }
  | { head: string; type: 'regression'; size: number }
  | { head: string; type: 'sequence'; beamWidth: number }
  | { head: string; type: 'match'; top: number };

export interface PredictTasksOptions {
  batchSize?: number;
  /** 1 (default): greedy decoding; more: beam search of that width. */
  beamWidth?: number;
  /** The match heads to query and the query modality (`--query`); match heads are left out without it. */
  query?: { modality: string; heads: MatchHead[]; top: number };
  /** Where matches are looked for (default: the predicted samples themselves). */
  candidates?: { dataset: Dataset; split: SplitName };
  /** Classes of the main `logits` output, when the model has one. */
  mainClasses?: string[];
}

/**
 * Predicts every sample of a split with every named head of a run, each
 * formatted by its kind (docs/tasks.md): class and multi-label heads name
 * their classes, regression values are mapped back to the target's units
 * with the fitted target's `invert`, decoder heads generate text (greedy or
 * beam search, decoded with the fitted vocabulary), and match heads rank the
 * candidates' embeddings of the other modalities against each sample's query
 * embedding.
 */
export async function predictTasks(
  model: MultimodalModel,
  targets: Record<string, Target>,
  dataset: Dataset,
  split: SplitName,
  options: PredictTasksOptions = {},
): Promise<{ predictions: TaskPrediction[]; layout: TaskLayout }> {
  const beamWidth = options.beamWidth ?? 1;
  const heads = namedHeads(model).filter(([head, info]) => info.kind !== 'embedding' || options.query?.heads.some((h) => h.head === head));
  const predictions: TaskPrediction[] = [];
  const queries = new Map<string, Embeddings>();
  await eachBatch(dataset, split, options.batchSize ?? 64, (batch) => {
    const rows: TaskPrediction[] = batch.ids.map((id) => ({ id }));
    const outputs = model.call(batch, { training: false });
    try {
      if (options.mainClasses && outputs.logits) {
        const probabilities = tf.tidy(() => tf.softmax(outputs.logits!)).arraySync() as number[][];
        rows.forEach((row, i) => Object.assign(row, classPrediction(probabilities[i]!, options.mainClasses!)));
      }
      for (const [head, info] of heads) {
        const target = targets[info.target]!;
        if (info.kind === 'tokens') {
          const generated = generateSequences(model, batch, head, beamWidth > 1 ? { beamWidth } : {});
          const decode = (ids: number[]): string => (target as unknown as { decode(ids: readonly number[]): string }).decode(ids);
          rows.forEach((row, i) => {
            row[head] = { prediction: decode(generated.ids[i]!), ...(beamWidth > 1 ? { beamWidth, score: generated.scores![i]! } : {}) } satisfies SequenceHeadPrediction;
          });
        } else if (info.kind === 'embedding') {
          const collected = queries.get(head) ?? emptyEmbeddings();
          collect(collected, batch, outputs, [options.query!.modality]);
          queries.set(head, collected);
        } else if (info.kind === 'values') {
          const values = invert(target, outputs[info.outputs[0]!]!.dataSync() as Float32Array);
          const size = values.length / batch.ids.length;
          rows.forEach((row, i) => {
            const own = Array.from(values.slice(i * size, (i + 1) * size));
            row[head] = { prediction: size === 1 ? own[0]! : own } satisfies RegressionHeadPrediction;
          });
        } else if (info.targetType === 'multilabel') {
          const probabilities = tf.tidy(() => tf.sigmoid(outputs[info.outputs[0]!]!)).arraySync() as number[][];
          rows.forEach((row, i) => {
            const p = probabilities[i]!;
            row[head] = { prediction: target.classes.filter((_, k) => p[k]! > 0.5), probabilities: Object.fromEntries(target.classes.map((c, k) => [c, p[k]!])) } satisfies MultilabelHeadPrediction;
          });
        } else {
          const probabilities = tf.tidy(() => tf.softmax(outputs[info.outputs[0]!]!)).arraySync() as number[][];
          rows.forEach((row, i) => (row[head] = classPrediction(probabilities[i]!, target.classes)));
        }
      }
    } finally {
      tf.dispose(Object.values(outputs));
    }
    predictions.push(...rows);
  });
  if (options.query) await rankMatches(model, dataset, split, options, queries, predictions);
  const layout: TaskLayout = {
    ...(options.mainClasses && model.outputNames.includes('logits') ? { mainClasses: options.mainClasses } : {}),
    heads: heads.map(([head, info]) => headLayout(head, info, targets[info.target]!, beamWidth, options.query?.top ?? 5)),
  };
  return { predictions, layout };
}

function headLayout(head: string, info: NamedHeadInfo, target: Target, beamWidth: number, top: number): HeadLayout {
  switch (info.targetType) {
    case 'class':
    case 'multilabel':
      return { head, type: info.targetType, classes: target.classes };
    case 'regression':
      return { head, type: 'regression', size: (target.info() as { size?: number }).size ?? 1 };
    case 'sequence':
      return { head, type: 'sequence', beamWidth };
    default:
      return { head, type: 'match', top };
  }
}

function classPrediction(probabilities: number[], classes: string[]): ClassHeadPrediction {
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k]! > probabilities[best]!) best = k;
  return { prediction: classes[best]!, probabilities: Object.fromEntries(classes.map((c, k) => [c, probabilities[k]!])) };
}

function invert(target: Target, values: Float32Array): Float32Array {
  const invertible = target as unknown as { invert?: (v: ArrayLike<number>) => Float32Array };
  return invertible.invert ? invertible.invert(values) : values;
}

/** Unit-length embeddings of the samples where a modality is present, per modality. */
interface Embeddings {
  rows: Map<string, { ids: string[]; vectors: Float32Array[]; present: boolean[] }>;
}

const emptyEmbeddings = (): Embeddings => ({ rows: new Map() });

function collect(into: Embeddings, batch: Batch, outputs: Record<string, tf.Tensor>, modalities: string[]): void {
  for (const modality of modalities) {
    const embedding = outputs[`embedding_${modality}`]!;
    const width = embedding.shape[1]!;
    const unit = tf.tidy(() => tf.div(embedding, tf.maximum(tf.norm(embedding, 'euclidean', -1, true), 1e-12))).dataSync() as Float32Array;
    const present = batch.mask[modality] ? batch.mask[modality]!.dataSync() : undefined;
    const list = into.rows.get(modality) ?? { ids: [], vectors: [], present: [] };
    batch.ids.forEach((id, i) => {
      list.ids.push(id);
      list.vectors.push(unit.slice(i * width, (i + 1) * width));
      list.present.push(!present || present[i]! > 0.5);
    });
    into.rows.set(modality, list);
  }
}

/**
 * Fills each match head's part of the predictions: every sample's query
 * embedding scored (cosine) against each candidate's embedding of the head's
 * other modalities; candidates without that modality are left out.
 */
async function rankMatches(model: MultimodalModel, dataset: Dataset, split: SplitName, options: PredictTasksOptions, queries: Map<string, Embeddings>, predictions: TaskPrediction[]): Promise<void> {
  const { modality: query, heads, top } = options.query!;
  const others = new Set(heads.flatMap((h) => h.modalities.filter((m) => m !== query)));
  const candidates = emptyEmbeddings();
  const source = options.candidates ?? { dataset, split };
  await eachBatch(source.dataset, source.split, options.batchSize ?? 64, (batch) => {
    const outputs = model.call(batch, { training: false });
    try {
      collect(candidates, batch, outputs, [...others]);
    } finally {
      tf.dispose(Object.values(outputs));
    }
  });
  for (const { head, modalities } of heads) {
    const asked = queries.get(head)!.rows.get(query)!;
    const gallery = modalities.filter((m) => m !== query);
    predictions.forEach((row, i) => {
      if (!asked.present[i]) {
        row[head] = { query, matches: [], note: `'${query}' is absent from this sample.` } satisfies MatchHeadPrediction;
        return;
      }
      const scored: { id: string; score: number; modality?: string }[] = [];
      for (const modality of gallery) {
        const list = candidates.rows.get(modality)!;
        list.ids.forEach((id, k) => {
          if (list.present[k]) scored.push({ id, score: dot(asked.vectors[i]!, list.vectors[k]!), ...(gallery.length > 1 ? { modality } : {}) });
        });
      }
      scored.sort((a, b) => b.score - a.score);
      row[head] = { query, matches: scored.slice(0, top) } satisfies MatchHeadPrediction;
    });
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Runs `visit` on every batch of a split, in order, and disposes it. */
async function eachBatch(dataset: Dataset, split: SplitName, batchSize: number, visit: (batch: Batch) => void): Promise<void> {
  for await (const batch of dataset.loader(split, { batchSize }).batches(0)) {
    try {
      visit(batch);
    } finally {
      tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
    }
  }
}
