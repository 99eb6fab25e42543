import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, withSeed, transformerEncoderBlock, MultiHeadAttention, PaddingMask, PositionEmbedding, MaskedMeanPooling } from '../index.js';

/** ids [B, T] → embedding + positions → one block → masked mean [B, D]. */
function buildModel(): tf.LayersModel {
  return withSeed(3, () => {
    const ids = tf.input({ shape: [5], dtype: 'int32' });
    const mask = new PaddingMask({ padId: 0 }).apply(ids) as tf.SymbolicTensor;
    let x = tf.layers.embedding({ inputDim: 10, outputDim: 8 }).apply(ids) as tf.SymbolicTensor;
    x = new PositionEmbedding({ maxLength: 5 }).apply(x) as tf.SymbolicTensor;
    x = transformerEncoderBlock({ modelDim: 8, numHeads: 2, ffUnits: 16 }).apply(x, mask);
    const pooled = new MaskedMeanPooling().apply([x, mask]) as tf.SymbolicTensor;
    return tf.model({ inputs: ids, outputs: pooled });
  });
}

describe('transformer layers', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  it('ignores padded positions: changing tokens behind the mask leaves the output unchanged', () => {
    const model = buildModel();
    const a = model.predict(tf.tensor2d([[3, 4, 5, 0, 0]], undefined, 'int32')) as tf.Tensor;
    const b = model.predict(tf.tensor2d([[3, 4, 5, 0, 0]], undefined, 'int32')) as tf.Tensor;
    const c = model.predict(tf.tensor2d([[3, 4, 6, 0, 0]], undefined, 'int32')) as tf.Tensor;
    expect(a.shape).toEqual([1, 8]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
  });

  it('masks keys: attention output at real positions does not depend on padded values', () => {
    const attention = withSeed(1, () => new MultiHeadAttention({ numHeads: 2, keyDim: 3 }));
    const x1 = tf.randomNormal([1, 4, 6], 0, 1, 'float32', 1);
    const x2 = tf.concat([x1.slice([0, 0, 0], [1, 2, 6]), tf.randomNormal([1, 2, 6], 0, 1, 'float32', 2)], 1);
    const mask = tf.tensor2d([[1, 1, 0, 0]]);
    const y1 = attention.apply([x1, x1, mask]) as tf.Tensor;
    const y2 = attention.apply([x2, x2, mask]) as tf.Tensor;
    expect(y1.shape).toEqual([1, 4, 6]);
    const first = (t: tf.Tensor) => Array.from(t.slice([0, 0, 0], [1, 2, 6]).dataSync());
    first(y1).forEach((v, i) => expect(v).toBeCloseTo(first(y2)[i]!, 5));
  });

  it('is causal when asked: position 0 does not see later positions', () => {
    const attention = withSeed(1, () => new MultiHeadAttention({ numHeads: 1, keyDim: 4, causal: true }));
    const x1 = tf.randomNormal([1, 3, 4], 0, 1, 'float32', 1);
    const x2 = tf.concat([x1.slice([0, 0, 0], [1, 1, 4]), tf.randomNormal([1, 2, 4], 0, 1, 'float32', 5)], 1);
    const y1 = (attention.apply([x1, x1]) as tf.Tensor).slice([0, 0, 0], [1, 1, 4]).dataSync();
    const y2 = (attention.apply([x2, x2]) as tf.Tensor).slice([0, 0, 0], [1, 1, 4]).dataSync();
    Array.from(y1).forEach((v, i) => expect(v).toBeCloseTo(y2[i]!, 5));
  });

  it('serialises: a saved model with these layers loads back to identical outputs', async () => {
    const model = buildModel();
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const ids = tf.tensor2d([[1, 2, 3, 4, 0]], undefined, 'int32');
    expect(Array.from((loaded.predict(ids) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(ids) as tf.Tensor).dataSync()));
  });

  it('gives every trainable variable a non-zero gradient', () => {
    const model = buildModel();
    const ids = tf.tensor2d([[1, 2, 3, 4, 0], [5, 6, 0, 0, 0]], undefined, 'int32');
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(model.apply(ids) as tf.Tensor)) as tf.Scalar);
    expect(Object.keys(grads).length).toBe(model.trainableWeights.length);
    for (const [name, grad] of Object.entries(grads)) {
      expect(tf.sum(tf.abs(grad)).dataSync()[0], name).toBeGreaterThan(0);
    }
  });
});
