import { tf, withSeed, MultimodalModel, registry, type Encoder, type Fusion } from '@polyfuse/core';
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
  { label: 'cross-modal-transformer', name: 'cross-modal-transformer', config: { dModel: 8, numHeads: 2 }, inputShapes: { image: [5, 4], audio: [3, 6] }, outputShape: [16] },
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
];

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
