import { tf, registry, SeededRandom, type ComponentSpec, type MultimodalModel } from '@polyfuse/core';
import type { TrainingMetric } from '@polyfuse/trainer';
import type { ProcessedSample } from '../data/processSamples.js';
import { makeBatch, disposeBatch, type InputSpecs } from '../data/makeBatch.js';
import { confusionMatrix } from './confusionMatrix.js';

type Dropped = (sampleIndex: number, modality: string) => boolean;

/** Samples with the modalities `dropped` selects removed (they are then masked). */
function withDropped(samples: ProcessedSample[], start: number, dropped?: Dropped): ProcessedSample[] {
  if (!dropped) return samples;
  return samples.map((sample, j) => ({
    ...sample,
    features: Object.fromEntries(Object.entries(sample.features).map(([m, f]) => [m, dropped(start + j, m) ? undefined : f])),
  }));
}

/** Class probabilities of each sample: softmax of the model's main output, `[N * C]` row-major. */
export function predictProbabilities(
  model: MultimodalModel,
  samples: ProcessedSample[],
  specs: InputSpecs,
  options: { batchSize: number; dropped?: Dropped },
): { probabilities: Float32Array; numClasses: number } {
  let out = new Float32Array(0);
  let numClasses = 0;
  for (let start = 0; start < samples.length; start += options.batchSize) {
    const batch = makeBatch(withDropped(samples.slice(start, start + options.batchSize), start, options.dropped), specs);
    try {
      const probabilities = tf.tidy(() => tf.softmax(model.predict(batch)));
      numClasses = probabilities.shape[1]!;
      if (out.length === 0) out = new Float32Array(samples.length * numClasses);
      out.set(probabilities.dataSync(), start * numClasses);
      probabilities.dispose();
    } finally {
      disposeBatch(batch);
    }
  }
  return { probabilities: out, numClasses };
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
 * Scores samples with `metric/<name>` components (@polyfuse/trainer's
 * streaming metrics, updated batch by batch on the main output), plus the
 * mean cross-entropy and the confusion matrix of the fused prediction.
 */
export function scoreSplit(
  model: MultimodalModel,
  samples: ProcessedSample[],
  specs: InputSpecs,
  options: { batchSize: number; label: string; metrics: ComponentSpec[]; dropped?: Dropped },
): SplitScores {
  const metrics = options.metrics.map((spec) => registry.create<TrainingMetric>('metric', spec.name, spec.config));
  let probabilities = new Float32Array(0);
  let numClasses = 0;
  for (let start = 0; start < samples.length; start += options.batchSize) {
    const batch = makeBatch(withDropped(samples.slice(start, start + options.batchSize), start, options.dropped), specs);
    try {
      const outputs = model.call(batch, { training: false });
      try {
        for (const metric of metrics) metric.update(outputs[metric.output], batch.targets[metric.target]);
        const p = tf.tidy(() => tf.softmax(outputs.logits));
        numClasses = p.shape[1]!;
        if (probabilities.length === 0) probabilities = new Float32Array(samples.length * numClasses);
        probabilities.set(p.dataSync(), start * numClasses);
        p.dispose();
      } finally {
        tf.dispose(Object.values(outputs));
      }
    } finally {
      disposeBatch(batch);
    }
  }
  const yTrue = Int32Array.from(samples.map((s) => s.targets[options.label]));
  const yPred = argmaxRows(probabilities, numClasses);
  let loss = 0;
  yTrue.forEach((t, i) => (loss -= Math.log(Math.max(probabilities[i * numClasses + t], 1e-12))));
  return {
    metrics: Object.fromEntries(metrics.map((m) => [m.name, m.compute()])),
    loss: samples.length ? loss / samples.length : Number.NaN,
    confusion: confusionMatrix(yTrue, yPred, numClasses),
    count: samples.length,
  };
}

/** The value of the first metric on `samples`, with `dropped` modalities masked. */
function firstMetric(model: MultimodalModel, samples: ProcessedSample[], specs: InputSpecs, options: { batchSize: number; label: string; metric: ComponentSpec }, dropped?: Dropped): number {
  const scores = scoreSplit(model, samples, specs, { ...options, metrics: [options.metric], ...(dropped ? { dropped } : {}) });
  return Object.values(scores.metrics)[0];
}

/**
 * Each modality's contribution: the first metric with every modality present
 * minus the metric when that modality alone is masked for every sample (a
 * leave-one-modality-out ablation).
 */
export function modalityContribution(
  model: MultimodalModel,
  samples: ProcessedSample[],
  specs: InputSpecs,
  options: { batchSize: number; label: string; metric: ComponentSpec },
): Record<string, { full: number; without: number; contribution: number }> {
  const full = firstMetric(model, samples, specs, options);
  return Object.fromEntries(
    Object.keys(specs).map((modality) => {
      const without = firstMetric(model, samples, specs, options, (_, m) => m === modality);
      return [modality, { full, without, contribution: full - without }];
    }),
  );
}

/**
 * Robustness to a missing modality: the first metric when `modality` is
 * masked for a seeded random fraction `rate` of the samples, for each rate.
 */
export function robustnessCurves(
  model: MultimodalModel,
  samples: ProcessedSample[],
  specs: InputSpecs,
  options: { batchSize: number; label: string; metric: ComponentSpec; rates: number[]; seed: number },
): { modality: string; rate: number; value: number }[] {
  const out: { modality: string; rate: number; value: number }[] = [];
  const order = new SeededRandom(options.seed).shuffle(samples.map((_, i) => i));
  for (const modality of Object.keys(specs)) {
    for (const rate of options.rates) {
      const droppedSet = new Set(order.slice(0, Math.round(rate * samples.length)));
      out.push({ modality, rate, value: firstMetric(model, samples, specs, options, (i, m) => m === modality && droppedSet.has(i)) });
    }
  }
  return out;
}
