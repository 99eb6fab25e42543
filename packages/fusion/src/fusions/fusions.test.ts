import { beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { tf, initBackend, type Fusion } from '@polyfuse/core';
import { saveModel, loadModel } from '@polyfuse/core/node';
import { fusionCases, buildFusion, buildCaseModel, randomTensor, type FusionCase } from '../testing/fusionCases.js';
import { LayerFusion } from './layerFusion.js';
import { HybridFusion } from './hybridFusion.js';

const batch = 4;
/** Sample 0 has everything; 1 lacks the first modality; 2 lacks the second; 3 has only the first. */
function masksFor(c: FusionCase): Record<string, tf.Tensor> {
  const names = Object.keys(c.inputShapes);
  return Object.fromEntries(
    names.map((m, i) => [m, tf.tensor1d(i === 0 ? [1, 0, 1, 1] : i === 1 ? [1, 1, 0, 0] : [1, 1, 1, 0])]),
  );
}
function embeddingsFor(c: FusionCase, seed: number): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(c.inputShapes).map(([m, s], i) => [m, randomTensor([batch, ...s], seed + i)]));
}
/** Replaces the values of absent samples by `fill`, keeping present ones. */
function corruptAbsent(embeddings: Record<string, tf.Tensor>, masks: Record<string, tf.Tensor>, fill: number): Record<string, tf.Tensor> {
  return Object.fromEntries(
    Object.entries(embeddings).map(([m, e]) => {
      const keep = tf.reshape(masks[m], [batch, ...e.shape.slice(1).map(() => 1)]).greater(0.5);
      return [m, tf.where(tf.broadcastTo(keep, e.shape), e, tf.fill(e.shape, fill))];
    }),
  );
}
function fusionVariables(fusion: Fusion): tf.Variable[] {
  const layers = fusion instanceof LayerFusion ? [fusion.layer] : fusion instanceof HybridFusion ? fusion.parts.map((p) => (p as LayerFusion).layer) : [];
  return layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
}

describe.each(fusionCases)('fusion/$label', (c) => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('declares and produces the output shape, symbolically and eagerly', () => {
    const fusion = buildFusion(c);
    expect(fusion.outputShape).toEqual(c.outputShape);
    expect(fusion.modalities).toEqual(Object.keys(c.inputShapes));
    const symbolic = fusion.apply(
      Object.fromEntries(Object.entries(c.inputShapes).map(([m, s]) => [m, tf.input({ shape: s })])),
      Object.fromEntries(Object.keys(c.inputShapes).map((m) => [m, tf.input({ shape: [] })])),
    );
    expect(symbolic.shape).toEqual([null, ...c.outputShape]);
    const out = fusion.apply(embeddingsFor(c, 1), masksFor(c));
    expect(out.shape).toEqual([batch, ...c.outputShape]);
  });

  it('ignores the values of absent modalities (even NaN) and stays finite', () => {
    const fusion = buildFusion(c);
    const masks = masksFor(c);
    const embeddings = embeddingsFor(c, 1);
    const reference = fusion.apply(embeddings, masks).arraySync();
    for (const fill of [1e6, -3, Number.NaN]) {
      const changed = fusion.apply(corruptAbsent(embeddings, masks, fill), masks);
      expect(changed.arraySync()).toEqual(reference);
    }
    expect((reference as number[][]).flat().every(Number.isFinite)).toBe(true);
    const nothing = Object.fromEntries(Object.keys(c.inputShapes).map((m) => [m, tf.zeros([batch])]));
    const empty = fusion.apply(embeddings, nothing).dataSync();
    expect(Array.from(empty).every(Number.isFinite)).toBe(true);
  });

  it('sends gradients to every input and every variable', () => {
    const fusion = buildFusion(c);
    const masks = Object.fromEntries(Object.keys(c.inputShapes).map((m) => [m, tf.ones([batch])]));
    const inputs = Object.fromEntries(Object.entries(embeddingsFor(c, 3)).map(([m, e]) => [m, tf.variable(e, true, `input_${c.label}_${m}`)]));
    fusion.apply(inputs, masks).dispose(); // builds the weights
    const variables = [...Object.values(inputs), ...fusionVariables(fusion)];
    const target = randomTensor([batch, ...c.outputShape], 9);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(fusion.apply(inputs, masks), target))) as tf.Scalar, variables);
    for (const v of variables) {
      const g = grads[v.name];
      expect(g, v.name).toBeDefined();
      expect(tf.max(tf.abs(g)).dataSync()[0], `gradient of ${v.name}`).toBeGreaterThan(0);
    }
  });

  it('overfits a tiny batch inside a MultimodalModel', () => {
    const model = buildCaseModel(c, 3, 2);
    const inputs = Object.fromEntries(model.modalities.map((m, i) => [m, randomTensor([8, 6], 20 + i)]));
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3).cast('float32');
    const optimizer = tf.train.adam(0.05);
    const lossOf = () => tf.losses.softmaxCrossEntropy(labels, model.predict({ inputs })) as tf.Scalar;
    const before = lossOf().dataSync()[0];
    for (let step = 0; step < 100; step++) optimizer.minimize(() => lossOf(), false, model.trainableVariables());
    const after = lossOf().dataSync()[0];
    expect(after).toBeLessThan(0.25 * before);
    const predicted = Array.from(model.predict({ inputs }).argMax(1).dataSync());
    expect(predicted).toEqual([0, 1, 2, 0, 1, 2, 0, 1]);
  });

  it('saves and loads inside a MultimodalModel with identical outputs', async () => {
    const model = buildCaseModel(c, 3, 4);
    const inputs = Object.fromEntries(model.modalities.map((m, i) => [m, randomTensor([batch, 6], 30 + i)]));
    const mask = masksFor(c);
    const before = model.predict({ inputs, mask }).arraySync();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-fusion-'));
    await saveModel(path.join(dir, 'model'), model);
    const loaded = await loadModel(path.join(dir, 'model'));
    expect(loaded.predict({ inputs, mask }).arraySync()).toEqual(before);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
