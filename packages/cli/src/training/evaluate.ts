import { tf, registry, SeededRandom, type Batch, type ComponentSpec, type MultimodalModel } from '@polyfuse/core';
import type { DataLoader } from '@polyfuse/data';
import type { TrainingMetric } from '@polyfuse/trainer';
import { confusionMatrix } from './confusionMatrix.js';

/** Which modality of which sample (index in the unshuffled split) to treat as missing. */
export type Dropped = (sampleIndex: number, modality: string) => boolean;

/**
 * Masks the modalities `dropped` selects: mask 0 and zero input, exactly as
 * @polyfuse/data presents a modality that is absent. Returns a new batch; the
 * caller disposes both.
 */
export function dropModalities(batch: Batch, firstIndex: number, dropped: Dropped): Batch {
  return tf.tidy(() => {
    const inputs: Record<string, tf.Tensor> = {};
    const mask: Record<string, tf.Tensor> = {};
    for (const [m, input] of Object.entries(batch.inputs)) {
      const keep = Array.from({ length: input.shape[0] }, (_, j) => (dropped(firstIndex + j, m) ? 0 : 1));
      const keepShape = [input.shape[0], ...input.shape.slice(1).map(() => 1)];
      inputs[m] = tf.mul(input, tf.tensor(keep, keepShape, input.dtype as 'float32' | 'int32'));
      mask[m] = tf.mul(batch.mask[m], tf.tensor1d(keep));
    }
    return { inputs, mask, targets: Object.fromEntries(Object.entries(batch.targets).map(([k, t]) => [k, t.clone()])), ids: batch.ids };
  });
}

/** Runs `visit` on every batch of one pass over `source` (no shuffling), with `dropped` modalities masked. */
async function eachBatch(source: DataLoader, dropped: Dropped | undefined, visit: (batch: Batch) => void): Promise<void> {
  for await (const loaded of source.batches(0)) {
    let batch: Batch = loaded;
    try {
      if (dropped) batch = dropModalities(loaded, loaded.index * source.batchSize, dropped);
      visit(batch);
    } finally {
      const owned = batch === loaded ? [loaded] : [loaded, batch];
      for (const b of owned) tf.dispose([...Object.values(b.inputs), ...Object.values(b.mask), ...Object.values(b.targets)]);
    }
  }
}

/** Class probabilities (softmax of the main output) of every sample of a source, with its ids. */
export async function predictSource(model: MultimodalModel, source: DataLoader): Promise<{ ids: string[]; probabilities: Float32Array; numClasses: number }> {
  const ids: string[] = [];
  const chunks: Float32Array[] = [];
  let numClasses = 0;
  await eachBatch(source, undefined, (batch) => {
    const probabilities = tf.tidy(() => tf.softmax(model.predict(batch)));
    numClasses = probabilities.shape[1]!;
    chunks.push(probabilities.dataSync() as Float32Array);
    probabilities.dispose();
    ids.push(...batch.ids);
  });
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return { ids, probabilities: out, numClasses };
}

/** Index of the largest probability of each sample (first one on ties, like numpy argmax). */
export function argmaxRows(probabilities: Float32Array, numClasses: number): Int32Array {
  const out = new Int32Array(probabilities.length / numClasses);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probabilities[i * numClasses + c] > probabilities[i * numClasses + best]) best = c;
    out[i] = best;
  }
  return out;
}

export interface SplitScores {
  /** Each metric's value, keyed by the metric's own name (`accuracy`, `f1`, `f1_micro`). */
  metrics: Record<string, number>;
  /** Mean cross-entropy of the main output. */
  loss: number;
  confusion: number[][];
  count: number;
}

/**
 * Scores a source with `metric/<name>` components (@polyfuse/trainer's
 * streaming metrics, updated batch by batch), plus the mean cross-entropy and
 * the confusion matrix of the main output against `label`.
 */
export async function scoreSource(
  model: MultimodalModel,
  source: DataLoader,
  options: { label: string; metrics: ComponentSpec[]; dropped?: Dropped },
): Promise<SplitScores> {
  const metrics = options.metrics.map((spec) => registry.create<TrainingMetric>('metric', spec.name, spec.config));
  const yTrue: number[] = [];
  const yPred: number[] = [];
  let loss = 0;
  let numClasses = 0;
  await eachBatch(source, options.dropped, (batch) => {
    const outputs = model.call(batch, { training: false });
    try {
      for (const metric of metrics) metric.update(outputs[metric.output], batch.targets[metric.target]);
      const probabilities = tf.tidy(() => tf.softmax(outputs.logits));
      numClasses = probabilities.shape[1]!;
      const p = probabilities.dataSync();
      probabilities.dispose();
      const targets = batch.targets[options.label].dataSync();
      const predicted = argmaxRows(p as Float32Array, numClasses);
      targets.forEach((t, i) => {
        yTrue.push(t);
        yPred.push(predicted[i]);
        loss -= Math.log(Math.max(p[i * numClasses + t], 1e-12));
      });
    } finally {
      tf.dispose(Object.values(outputs));
    }
  });
  return {
    metrics: Object.fromEntries(metrics.map((m) => [m.name, m.compute()])),
    loss: yTrue.length ? loss / yTrue.length : Number.NaN,
    confusion: confusionMatrix(yTrue, yPred, numClasses),
    count: yTrue.length,
  };
}

/**
 * The first metric's output and target for every batch of one pass over a
 * source, with every modality present and with each modality missing from
 * every sample: what contribution and robustness are computed from. A
 * sample's output depends on that sample alone (inference-mode layers do not
 * mix samples), so the output with a modality missing from any share of the
 * samples is, row by row, one of these; the extra passes cost one pass per
 * modality instead of one per modality and rate.
 */
export interface MaskedOutputs {
  metric: ComponentSpec;
  modalities: string[];
  /** Per batch: the target, the output with all modalities, and the output with each modality missing. */
  batches: { target: tf.Tensor; full: tf.Tensor; without: Record<string, tf.Tensor> }[];
  /** Frees the tensors. */
  dispose(): void;
}

/** One pass over `source` that keeps the first metric's output with all modalities and with each one masked for every sample. */
export async function collectMaskedOutputs(model: MultimodalModel, source: DataLoader, options: { metric: ComponentSpec }): Promise<MaskedOutputs> {
  const probe = registry.create<TrainingMetric>('metric', options.metric.name, options.metric.config);
  const batches: MaskedOutputs['batches'] = [];
  const dispose = (): void => {
    for (const b of batches) tf.dispose([b.target, b.full, ...Object.values(b.without)]);
    batches.length = 0;
  };
  const outputOf = (batch: Batch): tf.Tensor => {
    const outputs = model.call(batch, { training: false });
    const kept = outputs[probe.output];
    if (!kept) throw new Error(`The model has no output '${probe.output}' for metric ${options.metric.name}.`);
    tf.dispose(Object.values(outputs).filter((t) => t !== kept));
    return kept;
  };
  try {
    await eachBatch(source, undefined, (batch) => {
      const without: Record<string, tf.Tensor> = {};
      for (const modality of model.modalities) {
        const masked = dropModalities(batch, 0, (_, m) => m === modality);
        try {
          without[modality] = outputOf(masked);
        } finally {
          tf.dispose([...Object.values(masked.inputs), ...Object.values(masked.mask), ...Object.values(masked.targets)]);
        }
      }
      batches.push({ target: batch.targets[probe.target]!.clone(), full: outputOf(batch), without });
    });
  } catch (error) {
    dispose();
    throw error;
  }
  return { metric: options.metric, modalities: [...model.modalities], batches, dispose };
}

/**
 * The first metric over the collected outputs, a sample taking its output
 * without `modality` where `dropped(sampleIndex)` says so and its full output
 * elsewhere.
 */
function metricOverOutputs(outputs: MaskedOutputs, modality?: string, dropped?: (sampleIndex: number) => boolean): number {
  const metric = registry.create<TrainingMetric>('metric', outputs.metric.name, outputs.metric.config);
  let first = 0;
  for (const batch of outputs.batches) {
    const size = batch.full.shape[0]!;
    if (modality === undefined) metric.update(batch.full, batch.target);
    else if (!dropped) metric.update(batch.without[modality]!, batch.target);
    else {
      const rows = Array.from({ length: size }, (_, j) => (dropped(first + j) ? 1 : 0));
      const mixed = tf.tidy(() => {
        const pick = tf.tensor(rows, [size, ...batch.full.shape.slice(1).map(() => 1)], 'bool');
        return tf.where(pick, batch.without[modality]!, batch.full);
      });
      try {
        metric.update(mixed, batch.target);
      } finally {
        mixed.dispose();
      }
    }
    first += size;
  }
  return metric.compute();
}

/**
 * Each modality's contribution: the first metric with every modality present
 * minus the metric when that modality alone is masked for every sample (a
 * leave-one-modality-out ablation). Pass `outputs` from
 * `collectMaskedOutputs` to share its pass with `robustnessCurves`.
 */
export async function modalityContribution(
  model: MultimodalModel,
  source: DataLoader,
  options: { label: string; metric: ComponentSpec; outputs?: MaskedOutputs },
): Promise<Record<string, { full: number; without: number; contribution: number }>> {
  const outputs = options.outputs ?? (await collectMaskedOutputs(model, source, options));
  try {
    const full = metricOverOutputs(outputs);
    const out: Record<string, { full: number; without: number; contribution: number }> = {};
    for (const modality of outputs.modalities) {
      const without = metricOverOutputs(outputs, modality);
      out[modality] = { full, without, contribution: full - without };
    }
    return out;
  } finally {
    if (!options.outputs) outputs.dispose();
  }
}

/**
 * Robustness to a missing modality: the first metric when `modality` is
 * masked for a seeded random fraction `rate` of the samples, for each rate.
 * Pass `outputs` from `collectMaskedOutputs` to share its pass with
 * `modalityContribution`.
 */
export async function robustnessCurves(
  model: MultimodalModel,
  source: DataLoader,
  options: { label: string; metric: ComponentSpec; rates: number[]; seed: number; outputs?: MaskedOutputs },
): Promise<{ modality: string; rate: number; value: number }[]> {
  const outputs = options.outputs ?? (await collectMaskedOutputs(model, source, options));
  try {
    const out: { modality: string; rate: number; value: number }[] = [];
    const order = new SeededRandom(options.seed).shuffle(Array.from({ length: source.size }, (_, i) => i));
    for (const modality of outputs.modalities) {
      for (const rate of options.rates) {
        const droppedSet = new Set(order.slice(0, Math.round(rate * source.size)));
        out.push({ modality, rate, value: metricOverOutputs(outputs, modality, (i) => droppedSet.has(i)) });
      }
    }
    return out;
  } finally {
    if (!options.outputs) outputs.dispose();
  }
}
