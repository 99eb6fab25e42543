import { tf, withSeed, MultimodalModel, PaddingMask, registry, type Encoder, type Fusion } from '@polyfuse/core';
import { createMlpHead } from '../heads/mlpHead.js';
import '../registry/registerComponents.js';

/**
 * Shared fixtures for this package's tests and benchmarks: one entry per
 * registered fusion configuration, over two or three small modalities.
 */
export interface FusionCase {
  label: string;
  name: string;
  config: Record<string, unknown>;
  inputShapes: Record<string, number[]>;
  outputShape: number[];
}

export const fusionCases: FusionCase[] = [
  { label: 'concat', name: 'concat', config: {}, inputShapes: { image: [4], audio: [3] }, outputShape: [7] },
  { label: 'concat+projection', name: 'concat', config: { units: 5, appendMasks: true }, inputShapes: { image: [4], audio: [3] }, outputShape: [5] },
  { label: 'sum', name: 'sum', config: { units: 4 }, inputShapes: { image: [4], audio: [3] }, outputShape: [4] },
  { label: 'mean', name: 'mean', config: {}, inputShapes: { image: [4], audio: [4], text: [4] }, outputShape: [4] },
  { label: 'weighted', name: 'weighted', config: { units: 4 }, inputShapes: { image: [4], audio: [3] }, outputShape: [4] },
  { label: 'attention', name: 'attention', config: {}, inputShapes: { image: [4], audio: [3], text: [5] }, outputShape: [3] },
  { label: 'gated', name: 'gated', config: { units: 6 }, inputShapes: { image: [4], audio: [3] }, outputShape: [6] },
  { label: 'film', name: 'film', config: { target: 'audio' }, inputShapes: { image: [4], audio: [3], text: [2] }, outputShape: [3] },
  { label: 'tensor', name: 'tensor', config: {}, inputShapes: { image: [4], audio: [3] }, outputShape: [20] },
  { label: 'low-rank', name: 'low-rank', config: { rank: 2, units: 5 }, inputShapes: { image: [4], audio: [3], text: [2] }, outputShape: [5] },
  { label: 'cross-modal-transformer', name: 'cross-modal-transformer', config: { modelDim: 8, numHeads: 2 }, inputShapes: { image: [5, 4], audio: [3, 6] }, outputShape: [16] },
  { label: 'late/mean', name: 'late', config: { units: 3, hiddenUnits: [8] }, inputShapes: { image: [4], audio: [3] }, outputShape: [3] },
  { label: 'late/weighted', name: 'late', config: { units: 3, combine: 'weighted', weights: { image: 2, audio: 1 }, hiddenUnits: [5] }, inputShapes: { image: [4], audio: [3] }, outputShape: [3] },
  { label: 'late/learned', name: 'late', config: { units: 3, combine: 'learned' }, inputShapes: { image: [4], audio: [3] }, outputShape: [3] },
  { label: 'late/product', name: 'late', config: { units: 3, combine: 'product' }, inputShapes: { image: [4], audio: [3] }, outputShape: [3] },
  { label: 'early', name: 'early', config: { hiddenUnits: [6] }, inputShapes: { image: [2, 2], audio: [3] }, outputShape: [6] },
  {
    label: 'hybrid',
    name: 'hybrid',
    config: { fusions: [{ name: 'tensor' }, { name: 'gated', config: { units: 4, modalities: ['audio', 'image'] } }] },
    inputShapes: { image: [4], audio: [3] },
    outputShape: [24],
  },
  {
    label: 'hybrid/sequences',
    name: 'hybrid',
    config: { fusions: [{ name: 'cross-modal-transformer', config: { modelDim: 8, numHeads: 2 } }, { name: 'early', config: { hiddenUnits: [4] } }] },
    inputShapes: { image: [5, 4], audio: [3, 2] },
    outputShape: [20],
  },
];

/** The cases with a sequence modality (`[T, D]` per sample), whose fusion can be given padding masks. */
export const sequenceCases: FusionCase[] = fusionCases.filter((c) => Object.values(c.inputShapes).some((s) => s.length === 2));

/**
 * A `[batch, T]` padding mask for each sequence modality of a case: row `b`
 * has `T - (b mod T)` real steps, then padding (so every row has one).
 */
export function paddingMasksFor(c: FusionCase, batch: number): Record<string, tf.Tensor> {
  const masks: Record<string, tf.Tensor> = {};
  for (const [m, shape] of Object.entries(c.inputShapes)) {
    if (shape.length !== 2) continue;
    const steps = shape[0];
    const rows = Array.from({ length: batch }, (_, b) => Array.from({ length: steps }, (_, t) => (t < steps - (b % steps) ? 1 : 0)));
    masks[m] = tf.tensor2d(rows, [batch, steps]);
  }
  return masks;
}

/** Replaces the padded steps of each masked sequence embedding by `fill`, keeping real steps. */
export function corruptPadding(embeddings: Record<string, tf.Tensor>, paddingMasks: Record<string, tf.Tensor>, fill: number): Record<string, tf.Tensor> {
  return Object.fromEntries(
    Object.entries(embeddings).map(([m, e]) => {
      const mask = paddingMasks[m];
      if (!mask) return [m, e];
      const real = tf.broadcastTo(tf.expandDims(tf.greater(mask, 0.5), 2), e.shape);
      return [m, tf.where(real, e, tf.fill(e.shape, fill))];
    }),
  );
}

/** Builds a case's fusion through the registry, as createMultimodalModel does. */
export function buildFusion(c: FusionCase, seed = 1): Fusion {
  return withSeed(seed, () => registry.create<Fusion>('fusion', c.name, c.config, undefined, { inputShapes: c.inputShapes }));
}

/** A seeded standard-normal tensor. */
export function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/** A dense encoder (tfjs-layers) mapping `[B, size]` to `[B, ...outputShape]`, for model-level tests. */
export function denseEncoder(size: number, outputShape: number[], name: string): Encoder {
  const units = outputShape.reduce((a, b) => a * b, 1);
  const dense = tf.layers.dense({ units, activation: 'tanh', name: `${name}_dense` });
  const reshape = outputShape.length > 1 ? tf.layers.reshape({ targetShape: outputShape, name: `${name}_reshape` }) : undefined;
  return {
    inputShape: [size],
    inputDtype: 'float32',
    outputShape,
    config: {},
    apply: ((x: tf.Tensor) => {
      const h = dense.apply(x) as tf.Tensor;
      return reshape ? reshape.apply(h) : h;
    }) as Encoder['apply'],
  };
}

/**
 * A token encoder for model-level padding tests: int32 ids `[steps]` → their
 * embeddings `[steps, dim]` (id 0 is padding), with the contract's
 * `paddingMask` (core's `PaddingMask`). Padded steps hold id 0's embedding.
 */
export function tokenEncoder(vocabSize: number, steps: number, dim: number, name: string): Encoder {
  const embedding = tf.layers.embedding({ inputDim: vocabSize, outputDim: dim, name: `${name}_embedding` });
  const padding = new PaddingMask({ padId: 0, name: `${name}_padding_mask` });
  return {
    inputShape: [steps],
    inputDtype: 'int32',
    outputShape: [steps, dim],
    config: {},
    apply: ((ids: tf.Tensor) => embedding.apply(ids)) as Encoder['apply'],
    paddingMask: ((ids: tf.Tensor) => padding.apply(ids)) as NonNullable<Encoder['paddingMask']>,
  };
}

/**
 * A full model around a case's fusion whose sequence modalities are
 * `tokenEncoder`s over `vocabSize` ids (so the fusion gets their padding
 * masks) and pooled ones dense encoders from `[B, 6]`; an MLP head.
 */
export function buildPaddedCaseModel(c: FusionCase, vocabSize = 7, classes = 3, seed = 1): MultimodalModel {
  return withSeed(seed, () => {
    const encoders: Record<string, Encoder> = {};
    for (const [m, shape] of Object.entries(c.inputShapes)) encoders[m] = shape.length === 2 ? tokenEncoder(vocabSize, shape[0], shape[1], m) : denseEncoder(6, shape, m);
    const fusion = registry.create<Fusion>('fusion', c.name, c.config, undefined, { inputShapes: c.inputShapes });
    return MultimodalModel.fromParts({ encoders, fusion, head: createMlpHead({ inputShape: fusion.outputShape, units: classes }) });
  });
}

/** A full model around a case's fusion: dense encoders from `[B, 6]` inputs, an MLP head with `classes` outputs. */
export function buildCaseModel(c: FusionCase, classes = 3, seed = 1): MultimodalModel {
  return withSeed(seed, () => {
    const encoders: Record<string, Encoder> = {};
    for (const [m, shape] of Object.entries(c.inputShapes)) encoders[m] = denseEncoder(6, shape, m);
    const fusion = registry.create<Fusion>('fusion', c.name, c.config, undefined, { inputShapes: c.inputShapes });
    const head = c.name === 'late' ? { outputShape: fusion.outputShape, config: {}, apply: ((x: tf.Tensor) => x) as never } : createMlpHead({ inputShape: fusion.outputShape, units: classes });
    return MultimodalModel.fromParts({ encoders, fusion, head });
  });
}
