import { tf, SeededRandom, type ComponentSpec, type MultimodalModel } from '@polyfuse/core';
import type { ProcessedSample } from '../data/processSamples.js';
import { makeBatch, disposeBatch, type InputSpecs } from '../data/makeBatch.js';
import { confusionMatrix } from './confusionMatrix.js';
import { trainingRegistry } from './builtins/index.js';
import type { ClassificationMetric } from './contracts.js';

/** Class probabilities of each sample: softmax of the model's main output. */
export function predictProbabilities(
  model: MultimodalModel,
  samples: ProcessedSample[],
  specs: InputSpecs,
  options: { batchSize: number; dropped?: (sampleIndex: number, modality: string) => boolean },
): { probabilities: Float32Array; numClasses: number } {
  const chunks: Float32Array[] = [];
  let numClasses = 0;
  for (let start = 0; start < samples.length; start += options.batchSize) {
    let slice = samples.slice(start, start + options.batchSize);
    if (options.dropped) {
      slice = slice.map((sample, j) => ({
        ...sample,
        features: Object.fromEntries(Object.entries(sample.features).map(([m, f]) => [m, options.dropped!(start + j, m) ? undefined : f])),
      }));
    }
    const batch = makeBatch(slice, specs);
    const probabilities = tf.tidy(() => tf.softmax(model.predict(batch)));
    numClasses = probabilities.shape[1]!;
    chunks.push(probabilities.dataSync() as Float32Array);
    probabilities.dispose();
    disposeBatch(batch);
  }
  const out = new Float32Array(samples.length * numClasses);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
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
  metrics: Record<string, number>;
  /** Mean cross-entropy of the main output. */
  loss: number;
  confusion: number[][];
  count: number;
}

/** Scores a split with the configured metrics. */
export function scoreSplit(
  model: MultimodalModel,
  samples: ProcessedSample[],
  specs: InputSpecs,
  options: { batchSize: number; label: string; metrics: ComponentSpec[]; dropped?: (sampleIndex: number, modality: string) => boolean },
): SplitScores {
  const { probabilities, numClasses } = predictProbabilities(model, samples, specs, options);
  const yTrue = Int32Array.from(samples.map((s) => s.targets[options.label]));
  const yPred = argmaxRows(probabilities, numClasses);
  const metrics: Record<string, number> = {};
  for (const spec of options.metrics) {
    const metric = trainingRegistry.create<ClassificationMetric>('metric', spec.name, spec.config);
    metrics[spec.name] = metric.compute({ yTrue, yPred, probabilities, numClasses });
  }
  let loss = 0;
  yTrue.forEach((t, i) => (loss -= Math.log(Math.max(probabilities[i * numClasses + t], 1e-12))));
  return { metrics, loss: samples.length ? loss / samples.length : Number.NaN, confusion: confusionMatrix(yTrue, yPred, numClasses), count: samples.length };
}

/**
 * Each modality's contribution: the first metric with every modality present
 * minus the metric when that modality alone is masked for every sample (an
 * occlusion / leave-one-modality-out ablation).
 */
export function modalityContribution(
  model: MultimodalModel,
  samples: ProcessedSample[],
  specs: InputSpecs,
  options: { batchSize: number; label: string; metric: ComponentSpec },
): Record<string, { full: number; without: number; contribution: number }> {
  const score = (dropped?: (i: number, m: string) => boolean): number =>
    scoreSplit(model, samples, specs, { ...options, metrics: [options.metric], ...(dropped ? { dropped } : {}) }).metrics[options.metric.name];
  const full = score();
  return Object.fromEntries(
    Object.keys(specs).map((modality) => {
      const without = score((_, m) => m === modality);
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
  for (const modality of Object.keys(specs)) {
    for (const rate of options.rates) {
      const count = Math.round(rate * samples.length);
      const order = new SeededRandom(options.seed).shuffle(samples.map((_, i) => i));
      const droppedSet = new Set(order.slice(0, count));
      const value = scoreSplit(model, samples, specs, {
        ...options,
        metrics: [options.metric],
        dropped: (i, m) => m === modality && droppedSet.has(i),
      }).metrics[options.metric.name];
      out.push({ modality, rate, value });
    }
  }
  return out;
}
