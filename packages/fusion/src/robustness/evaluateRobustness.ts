import { tf, InputError, SeededRandom, deriveSeed, type MultimodalModel } from '@polyfuse/core';
import { accuracyMetric, labelList, type LogitsMetric } from '../interpretability/modalityContributions.js';
import type { NoiseInjector } from './noiseInjector.js';
import { defaultNoiseLevels, effectiveRobustness, relativeRobustness } from './robustnessMetrics.js';

/** The metric of one (modality, noise) pair at each level. */
export interface RobustnessCurve {
  modality: string;
  noise: string;
  levels: number[];
  values: number[];
  relativeRobustness: number;
  /** Against the baseline report's curve of the same modality and noise, when one was given. */
  effectiveRobustness?: number;
}

export interface RobustnessReport {
  /** Metric on the clean data. */
  clean: number;
  /** Metric with each modality missing for every sample. */
  missing: Record<string, number>;
  curves: RobustnessCurve[];
}

export interface RobustnessOptions {
  model: MultimodalModel;
  /** Evaluation data: inputs, optional masks, labels (ids `[B]`, one-hot, or a number[]). */
  data: { inputs: Record<string, tf.Tensor>; mask?: Record<string, tf.Tensor>; labels: number[] | tf.Tensor };
  /** Injectors per modality, by name: `{ image: { blur: imageBlur }, audio: { snr: audioWhiteNoise } }`. */
  noise: Record<string, Record<string, NoiseInjector>>;
  /** Noise levels in [0, 1]. Default 0, 0.1, ..., 1 (MultiBench). */
  levels?: number[];
  /** Metric of logits against labels; higher is better. Default top-1 accuracy. */
  metric?: LogitsMetric;
  /** Seed: each (modality, noise, level) draws from `deriveSeed(seed, '<modality>/<noise>/<level>')`. Default 0. */
  seed?: number;
  /** Samples per forward pass. Default 256. */
  batchSize?: number;
  /** A report of a baseline model (MultiBench uses late fusion) to compute effective robustness against. */
  baseline?: RobustnessReport;
}

/**
 * MultiBench-style robustness evaluation: the metric on clean data, with each
 * modality missing (mask 0 for every sample), and for every modality and
 * noise injector at graded levels, with MultiBench's relative and effective
 * robustness of each curve. Seeded: the same seed gives the same report.
 */
export function evaluateRobustness(options: RobustnessOptions): RobustnessReport {
  const { model, data } = options;
  const levels = options.levels ?? defaultNoiseLevels;
  const metric = options.metric ?? accuracyMetric;
  const seed = options.seed ?? 0;
  const batchSize = options.batchSize ?? 256;
  const size = data.inputs[model.modalities[0]]?.shape[0];
  if (!size) throw new InputError('evaluateRobustness needs a non-empty data.inputs with every model modality.');
  const labels = labelList(data.labels, size);
  for (const m of Object.keys(options.noise)) {
    if (!model.modalities.includes(m)) throw new InputError(`noise.${m}: the model has no modality '${m}' (modalities: ${model.modalities.join(', ')}).`);
  }
  for (const level of levels) if (!(level >= 0 && level <= 1)) throw new InputError(`levels must lie in [0, 1]; got ${level}.`);

  const score = (inputs: Record<string, tf.Tensor>, mask?: Record<string, tf.Tensor>): number => {
    const chunks: tf.Tensor[] = [];
    for (let start = 0; start < size; start += batchSize) {
      const count = Math.min(batchSize, size - start);
      chunks.push(
        tf.tidy(() => {
          const slice = (t: tf.Tensor) => tf.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [count, ...t.shape.slice(1)]);
          const sliced = Object.fromEntries(model.modalities.map((m) => [m, slice(inputs[m])]));
          const maskSlice = mask ? Object.fromEntries(Object.entries(mask).map(([m, t]) => [m, slice(t)])) : undefined;
          return model.predict({ inputs: sliced, mask: maskSlice });
        }),
      );
    }
    const logits = tf.concat(chunks, 0);
    try {
      return metric(logits, labels);
    } finally {
      tf.dispose([logits, ...chunks]);
    }
  };

  const clean = score(data.inputs, data.mask);
  const missing: Record<string, number> = {};
  for (const m of model.modalities) {
    const zeros = tf.zeros([size]);
    missing[m] = score(data.inputs, { ...(data.mask ?? {}), [m]: zeros });
    zeros.dispose();
  }
  const curves: RobustnessCurve[] = [];
  for (const [modality, injectors] of Object.entries(options.noise)) {
    for (const [noise, inject] of Object.entries(injectors)) {
      const values = levels.map((level) => {
        const random = new SeededRandom(deriveSeed(seed, `${modality}/${noise}/${level}`));
        const corrupted = inject(data.inputs[modality], level, random);
        try {
          return score({ ...data.inputs, [modality]: corrupted }, data.mask);
        } finally {
          corrupted.dispose();
        }
      });
      const curve: RobustnessCurve = { modality, noise, levels, values, relativeRobustness: relativeRobustness(values, levels) };
      const base = options.baseline?.curves.find((c) => c.modality === modality && c.noise === noise);
      if (base && base.values.length === values.length) curve.effectiveRobustness = effectiveRobustness(values, base.values);
      curves.push(curve);
    }
  }
  return { clean, missing, curves };
}
