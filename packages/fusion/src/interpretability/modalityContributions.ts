import { tf, InputError, type MultimodalModel, type ModelInputs } from '@polyfuse/core';
import { embeddingsOf, feedsFor } from './fusionInputs.js';
import { replayGraph } from './graphReplay.js';

/** A metric of logits `[B, C]` against integer labels; higher is better. */
export type LogitsMetric = (logits: tf.Tensor, labels: number[]) => number;

/** Top-1 accuracy: the fraction of samples whose arg-max logit is the label. */
export const accuracyMetric: LogitsMetric = (logits, labels) => {
  const predicted = tf.tidy(() => tf.argMax(logits, -1).dataSync());
  let correct = 0;
  labels.forEach((label, i) => (correct += predicted[i] === label ? 1 : 0));
  return labels.length === 0 ? Number.NaN : correct / labels.length;
};

/** Integer labels from `number[]`, int `[B]` or one-hot `[B, C]`. */
export function labelList(labels: number[] | tf.Tensor, batchSize: number): number[] {
  let list: number[];
  if (Array.isArray(labels)) list = labels;
  else if (labels.rank === 1) list = Array.from(labels.dataSync());
  else if (labels.rank === 2) list = Array.from(tf.tidy(() => tf.argMax(labels, 1).dataSync()));
  else throw new InputError(`labels must be integer class ids [B] or one-hot [B, C]; got rank ${labels.rank}.`);
  if (list.length !== batchSize) throw new InputError(`labels has ${list.length} entries but the batch has ${batchSize} samples.`);
  return list;
}

/** What `modalityContributions` reports. */
export interface ModalityContributionReport {
  modalities: string[];
  /** Metric with the given masks. */
  full: number;
  /** Metric when each modality is masked out (mask 0 for every sample). */
  masked: Record<string, number>;
  /** `full - masked[m]`: how much the metric relies on each modality. */
  drop: Record<string, number>;
  /** Mean over samples where the modality is present of `‖∂y/∂e_m ⊙ e_m‖₂`. */
  attribution: Record<string, number>;
  /** `attribution` normalised to sum to 1. */
  attributionShare: Record<string, number>;
  /** Per-sample gradient × input norms (0 where the modality is absent). */
  perSample: Record<string, number[]>;
}

/**
 * A modality-contribution report for one batch:
 * - ablation: the metric with each modality masked (its presence mask set to
 *   0 for every sample, which is how the fusions see a missing modality);
 * - gradient × input attribution per modality embedding: for each sample,
 *   `‖∂y/∂e_m ⊙ e_m‖₂` over the embedding's features, where `y` is the logit
 *   of the label (or of the predicted class when no labels are given) and
 *   `e_m` is the encoder output entering the fusion.
 */
export function modalityContributions(
  model: MultimodalModel,
  batch: ModelInputs & { labels: number[] | tf.Tensor },
  options: { metric?: LogitsMetric; target?: 'label' | 'predicted' } = {},
): ModalityContributionReport {
  const metric = options.metric ?? accuracyMetric;
  const modalities = model.modalities;
  const batchSize = batch.inputs[modalities[0]]?.shape[0];
  if (!batchSize) throw new InputError('modalityContributions needs a non-empty batch.');
  const labels = labelList(batch.labels, batchSize);
  const score = (mask?: Record<string, tf.Tensor>): number => {
    const logits = model.predict({ inputs: batch.inputs, mask });
    try {
      return metric(logits, labels);
    } finally {
      logits.dispose();
    }
  };
  const full = score(batch.mask);
  const masked: Record<string, number> = {};
  const drop: Record<string, number> = {};
  for (const m of modalities) {
    const mask = { ...(batch.mask ?? {}), [m]: tf.zeros([batchSize]) };
    masked[m] = score(mask);
    drop[m] = full - masked[m];
    mask[m].dispose();
  }

  const { embeddings, symbolic } = embeddingsOf(model, batch);
  const names = Object.keys(embeddings);
  const perSample: Record<string, number[]> = {};
  tf.tidy(() => {
    const { feeds, created } = feedsFor(model, batch);
    const logits = model.predict({ inputs: batch.inputs, mask: batch.mask });
    const targets = options.target === 'predicted' ? Array.from(tf.argMax(logits, -1).dataSync()) : labels;
    const selector = tf.oneHot(tf.tensor1d(targets, 'int32'), logits.shape[1]!).cast('float32');
    const objective = (...values: tf.Tensor[]) => {
      const local = new Map(feeds);
      names.forEach((m, i) => local.set(symbolic[m].id, values[i]));
      const [out] = replayGraph([model.model.outputs[0]], local);
      return tf.sum(tf.mul(out, selector)) as tf.Scalar;
    };
    const grads = tf.grads(objective)(names.map((m) => embeddings[m]));
    names.forEach((m, i) => {
      const product = tf.reshape(tf.mul(grads[i], embeddings[m]), [batchSize, -1]);
      const norms = tf.sqrt(tf.sum(tf.square(product), 1));
      const present = batch.mask?.[m] ? tf.cast(tf.greater(batch.mask[m], 0.5), 'float32') : tf.onesLike(norms);
      perSample[m] = Array.from(tf.mul(norms, present).dataSync());
    });
    tf.dispose(created);
  });
  tf.dispose(Object.values(embeddings));
  const attribution: Record<string, number> = {};
  for (const m of names) {
    const presence = batch.mask?.[m] ? Array.from(batch.mask[m].dataSync()) : perSample[m].map(() => 1);
    const count = presence.filter((v) => v > 0.5).length;
    attribution[m] = count === 0 ? 0 : perSample[m].reduce((s, v) => s + v, 0) / count;
  }
  const total = Object.values(attribution).reduce((a, b) => a + b, 0);
  const attributionShare = Object.fromEntries(names.map((m) => [m, total > 0 ? attribution[m] / total : 0]));
  return { modalities, full, masked, drop, attribution, attributionShare, perSample };
}
