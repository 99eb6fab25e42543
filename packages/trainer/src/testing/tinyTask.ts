/*
 * A small two-modality classification task and model for the trainer's
 * tests: real tfjs-layers parts (dense encoders with dropout, a concatenation
 * fusion, dense heads, unimodal auxiliary heads) and seeded synthetic data in
 * which each modality carries part of the class signal and modality `b` is
 * absent from some samples. Not exported from the package.
 */
import { tf, MultimodalModel, SeededRandom, withSeed, type Batch, type Encoder, type Fusion, type Head } from '@polyfuse/core';
import type { BatchSource } from '../loop/batchSource.js';

export const classes = 3;

function denseEncoder(inputSize: number, units: number, name: string, rate: number, batchNorm = false): Encoder {
  const dense = tf.layers.dense({ units, activation: 'relu', name: `${name}_dense` });
  const dropout = tf.layers.dropout({ rate, name: `${name}_dropout` });
  const norm = batchNorm ? tf.layers.batchNormalization({ name: `${name}_norm` }) : undefined;
  return {
    inputShape: [inputSize],
    inputDtype: 'float32',
    outputShape: [units],
    config: { units },
    apply: ((x: tf.SymbolicTensor) => {
      const hidden = dense.apply(x) as tf.SymbolicTensor;
      return dropout.apply(norm ? norm.apply(hidden) : hidden);
    }) as Encoder['apply'],
  };
}

function concatFusion(modalities: string[], size: number): Fusion {
  const concat = tf.layers.concatenate({ name: 'fusion_concat' });
  return {
    modalities,
    outputShape: [size],
    config: {},
    apply: ((embeddings: Record<string, tf.SymbolicTensor>) => concat.apply(modalities.map((m) => embeddings[m]))) as unknown as Fusion['apply'],
  };
}

function denseHead(name: string): Head {
  const dense = tf.layers.dense({ units: classes, name });
  return { outputShape: [classes], config: {}, apply: ((x: tf.SymbolicTensor) => dense.apply(x)) as Head['apply'] };
}

/** The model; the same seed gives the same initial weights. */
export function tinyModel(seed: number, options: { auxiliary?: boolean; dropout?: number; batchNorm?: boolean } = {}): MultimodalModel {
  return withSeed(seed, () =>
    MultimodalModel.fromParts({
      encoders: { a: denseEncoder(4, 8, 'enc_a', options.dropout ?? 0.2, options.batchNorm), b: denseEncoder(3, 6, 'enc_b', options.dropout ?? 0.2, options.batchNorm) },
      fusion: concatFusion(['a', 'b'], 14),
      head: denseHead('head_main'),
      auxiliaryHeads: options.auxiliary === false ? undefined : { a: denseHead('head_a'), b: denseHead('head_b') },
    }),
  );
}

interface Sample {
  a: number[];
  b: number[] | null;
  label: number;
}

/** `count` samples: class c shifts feature c of `a` and feature c of `b`; every 5th sample lacks `b`. */
export function tinySamples(count: number, seed: number): Sample[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const label = rng.int(classes);
    const a = Array.from({ length: 4 }, (_, j) => rng.normal(j === label ? 2 : 0, 0.6));
    const b = i % 5 === 4 ? null : Array.from({ length: 3 }, (_, j) => rng.normal(j === label ? 2 : 0, 0.6));
    return { a, b, label };
  });
}

/** An in-memory BatchSource with a seeded per-epoch shuffle, like @polyfuse/data's loaders. */
export function memorySource(samples: Sample[], batchSize: number, options: { shuffleSeed?: number } = {}): BatchSource & { created: number } {
  const batchCount = Math.ceil(samples.length / batchSize);
  const source = {
    batchCount,
    created: 0,
    async *batches(epoch: number, { skip = 0 }: { skip?: number } = {}): AsyncGenerator<Batch> {
      const order = samples.map((_, i) => i);
      if (options.shuffleSeed !== undefined) new SeededRandom(options.shuffleSeed * 1000 + epoch).shuffle(order);
      for (let b = skip; b < batchCount; b++) {
        const picked = order.slice(b * batchSize, (b + 1) * batchSize).map((i) => samples[i]);
        source.created++;
        yield {
          inputs: { a: tf.tensor2d(picked.map((s) => s.a)), b: tf.tensor2d(picked.map((s) => s.b ?? [0, 0, 0])) },
          mask: { a: tf.ones([picked.length]), b: tf.tensor1d(picked.map((s) => (s.b ? 1 : 0))) },
          targets: { label: tf.tensor1d(picked.map((s) => s.label), 'int32') },
          ids: picked.map((_, i) => `s${b * batchSize + i}`),
        };
      }
    },
  };
  return source;
}

/** Every weight of the model, flattened, for exact comparisons. */
export function weightValues(model: MultimodalModel): number[][] {
  return model.model.getWeights().map((w) => Array.from(w.dataSync()));
}
