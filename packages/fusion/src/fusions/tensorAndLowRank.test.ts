import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registry, type Fusion } from '@polyfuse/core';
import { LayerFusion } from './layerFusion.js';
import type { LowRankFusionLayer } from './lowRankFusion.js';
import '../registry/registerComponents.js';

const shapes = { image: [2], audio: [1] };

describe('tensor fusion (TFN) against a hand-computed example', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('is the row-major outer product of [e; 1] vectors, with absent modalities as [0; 1]', () => {
    const fusion = registry.create<Fusion>('fusion', 'tensor', {}, undefined, { inputShapes: shapes });
    const out = fusion.apply(
      { image: tf.tensor2d([[1, 2], [1, 2]]), audio: tf.tensor2d([[3], [3]]) },
      { image: tf.tensor1d([1, 1]), audio: tf.tensor1d([1, 0]) },
    );
    // [1, 2, 1] ⊗ [3, 1] and [1, 2, 1] ⊗ [0, 1]
    expect(out.arraySync()).toEqual([
      [3, 1, 6, 2, 3, 1],
      [0, 1, 0, 2, 0, 1],
    ]);
  });

  it('refuses a fused size that would not fit in memory', () => {
    expect(() => registry.create('fusion', 'tensor', {}, undefined, { inputShapes: { a: [200], b: [200], c: [200] } })).toThrow(/low-rank/);
  });
});

describe('low-rank fusion (LMF) against a hand-computed example', () => {
  it('computes Σ_k w_k Π_i ([e_i; 1] F_i[k]) + b', () => {
    const fusion = registry.create<LayerFusion<LowRankFusionLayer>>('fusion', 'low-rank', { rank: 2, units: 1 }, undefined, { inputShapes: { x: [1], y: [1] } });
    const embeddings = { x: tf.tensor2d([[3], [3]]), y: tf.tensor2d([[2], [2]]) };
    const masks = { x: tf.tensor1d([1, 1]), y: tf.tensor1d([1, 0]) };
    fusion.apply(embeddings, masks);
    expect(fusion.layer.getWeights().map((w) => w.shape)).toEqual([[2, 2, 1], [2, 2, 1], [1, 2], [1, 1]]);
    fusion.layer.setWeights([
      tf.tensor3d([[[2], [1]], [[0], [3]]]), // F_x: rank 0 maps [x, 1] to 2x + 1, rank 1 to 3
      tf.tensor3d([[[1], [-1]], [[4], [0.5]]]), // F_y: rank 0 → y - 1, rank 1 → 4y + 0.5
      tf.tensor2d([[0.5, 2]]),
      tf.tensor2d([[0.25]]),
    ]);
    const out = fusion.apply(embeddings, masks).arraySync() as number[][];
    // Present: 0.5·(7·1) + 2·(3·8.5) + 0.25 = 54.75. y absent ([0; 1]): 0.5·(7·-1) + 2·(3·0.5) + 0.25 = -0.25.
    expect(out[0][0]).toBeCloseTo(54.75, 5);
    expect(out[1][0]).toBeCloseTo(-0.25, 5);
  });

  it('equals tensor fusion followed by a linear map whose weight tensor has rank r', () => {
    const inputShapes = { a: [3], b: [2] };
    const lmf = registry.create<LayerFusion<LowRankFusionLayer>>('fusion', 'low-rank', { rank: 3, units: 4 }, undefined, { inputShapes });
    const tfn = registry.create<Fusion>('fusion', 'tensor', {}, undefined, { inputShapes });
    const embeddings = { a: tf.randomNormal([5, 3], 0, 1, 'float32', 1), b: tf.randomNormal([5, 2], 0, 1, 'float32', 2) };
    const masks = { a: tf.tensor1d([1, 1, 0, 1, 1]), b: tf.tensor1d([1, 0, 1, 1, 1]) };
    const low = lmf.apply(embeddings, masks);
    const [fa, fb, w, bias] = lmf.layer.getWeights();
    // W[i, j, u] = Σ_k w_k F_a[k, i, u] F_b[k, j, u], flattened to [(3+1)(2+1), units].
    const weighted = tf.mul(fa, tf.reshape(w, [3, 1, 1]));
    const full = tf.sum(tf.mul(tf.reshape(weighted, [3, 4, 1, 4]), tf.reshape(fb, [3, 1, 3, 4])), 0).reshape([12, 4]);
    const viaTensor = tf.add(tf.matMul(tfn.apply(embeddings, masks) as tf.Tensor2D, full as tf.Tensor2D), bias);
    expect(tf.max(tf.abs(tf.sub(low, viaTensor))).dataSync()[0]).toBeLessThan(1e-4);
  });
});
