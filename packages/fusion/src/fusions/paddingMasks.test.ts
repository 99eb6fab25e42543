import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, modelFromFiles, modelToFiles, type Fusion } from '@polyfuse/core';
import { buildFusion, buildPaddedCaseModel, corruptPadding, paddingMasksFor, randomTensor, sequenceCases, type FusionCase } from '../testing/fusionCases.js';
import { LayerFusion } from './layerFusion.js';
import { HybridFusion } from './hybridFusion.js';

const batch = 4;
type Tensors = Record<string, tf.Tensor>;

function embeddingsFor(c: FusionCase, seed: number): Tensors {
  return Object.fromEntries(Object.entries(c.inputShapes).map(([m, s], i) => [m, randomTensor([batch, ...s], seed + i)]));
}
/** Sample 1 lacks the first modality; everything else is present. */
function masksFor(c: FusionCase): Tensors {
  return Object.fromEntries(Object.keys(c.inputShapes).map((m, i) => [m, tf.tensor1d(i === 0 ? [1, 0, 1, 1] : [1, 1, 1, 1])]));
}
function onesLike(masks: Tensors): Tensors {
  return Object.fromEntries(Object.entries(masks).map(([m, t]) => [m, tf.onesLike(t)]));
}
function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}
function fusionVariables(fusion: Fusion): tf.Variable[] {
  const layers = fusion instanceof LayerFusion ? [fusion.layer] : fusion instanceof HybridFusion ? fusion.parts.map((p) => (p as LayerFusion).layer) : [];
  return layers.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
}

describe.each(sequenceCases)('fusion/$label with padding masks', (c) => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('ignores the values at padded steps', () => {
    const fusion = buildFusion(c);
    const [embeddings, masks, padding] = [embeddingsFor(c, 1), masksFor(c), paddingMasksFor(c, batch)];
    const reference = fusion.apply(embeddings, masks, padding);
    expect(Array.from(reference.dataSync()).every(Number.isFinite)).toBe(true);
    for (const fill of [1e3, -3, Number.NaN]) {
      expect(maxDifference(fusion.apply(corruptPadding(embeddings, padding, fill), masks, padding), reference), `fill ${fill}`).toBeLessThanOrEqual(1e-6);
    }
  });

  it('without padding masks, behaves as before: the same as all-real masks on non-zero steps', () => {
    const fusion = buildFusion(c);
    const [embeddings, masks] = [embeddingsFor(c, 2), masksFor(c)];
    const allReal = onesLike(paddingMasksFor(c, batch));
    expect(maxDifference(fusion.apply(embeddings, masks), fusion.apply(embeddings, masks, allReal))).toBeLessThanOrEqual(1e-6);
  });

  it('agrees with the masks-free call when padded steps are zeros, and differs when they are not', () => {
    const fusion = buildFusion(c);
    const [embeddings, masks, padding] = [embeddingsFor(c, 3), masksFor(c), paddingMasksFor(c, batch)];
    const zeroed = corruptPadding(embeddings, padding, 0);
    const masked = fusion.apply(embeddings, masks, padding);
    expect(maxDifference(fusion.apply(zeroed, masks), masked)).toBeLessThanOrEqual(1e-6);
    expect(maxDifference(fusion.apply(embeddings, masks), masked)).toBeGreaterThan(1e-4);
  });

  it('stays finite when a sample is all padding', () => {
    const fusion = buildFusion(c);
    const padding = Object.fromEntries(Object.entries(paddingMasksFor(c, batch)).map(([m, t]) => [m, tf.concat([tf.zerosLike(t).slice([0, 0], [1, -1]), t.slice([1, 0], [-1, -1])])]));
    const out = fusion.apply(embeddingsFor(c, 4), masksFor(c), padding);
    expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('sends gradients to every variable and none to padded steps', () => {
    const fusion = buildFusion(c);
    const [masks, padding] = [onesLike(masksFor(c)), paddingMasksFor(c, batch)];
    const inputs = Object.fromEntries(Object.entries(embeddingsFor(c, 5)).map(([m, e]) => [m, tf.variable(e, true, `padded_input_${c.label}_${m}`)]));
    fusion.apply(inputs, masks, padding).dispose();
    const variables = [...Object.values(inputs), ...fusionVariables(fusion)];
    const target = randomTensor([batch, ...c.outputShape], 9);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(fusion.apply(inputs, masks, padding), target))) as tf.Scalar, variables);
    for (const v of fusionVariables(fusion)) expect(tf.max(tf.abs(grads[v.name])).dataSync()[0], v.name).toBeGreaterThan(0);
    for (const [m, mask] of Object.entries(padding)) {
      const padded = tf.mul(grads[inputs[m].name], tf.expandDims(tf.sub(1, mask), 2));
      expect(tf.max(tf.abs(padded)).dataSync()[0], `gradient at ${m}'s padded steps`).toBe(0);
    }
  });

  it('builds into a tf.model (a padding mask for the first sequence modality only) that saves and loads', async () => {
    const fusion = buildFusion(c);
    const names = Object.keys(c.inputShapes);
    const [first] = names.filter((m) => c.inputShapes[m].length === 2);
    const embeddingInputs = Object.fromEntries(names.map((m) => [m, tf.input({ shape: c.inputShapes[m], name: `embedding_${m}` })]));
    const maskInputs = Object.fromEntries(names.map((m) => [m, tf.input({ shape: [], name: `mask_${m}` })]));
    const paddingInput = tf.input({ shape: [c.inputShapes[first][0]], name: `padding_${first}` });
    const fused = fusion.apply(embeddingInputs, maskInputs, { [first]: paddingInput });
    expect(fused.shape).toEqual([null, ...c.outputShape]);
    const model = tf.model({ inputs: [...names.map((m) => embeddingInputs[m]), ...names.map((m) => maskInputs[m]), paddingInput], outputs: fused });
    const [embeddings, masks, padding] = [embeddingsFor(c, 6), masksFor(c), paddingMasksFor(c, batch)];
    const feed = (e: Tensors) => [...names.map((m) => e[m]), ...names.map((m) => masks[m]), padding[first]];
    const before = model.apply(feed(embeddings)) as tf.Tensor;
    expect(maxDifference(before, fusion.apply(embeddings, masks, { [first]: padding[first] }))).toBeLessThanOrEqual(1e-6);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(maxDifference(loaded.apply(feed(embeddings)) as tf.Tensor, before)).toBeLessThanOrEqual(1e-6);
    const corrupted = corruptPadding(embeddings, { [first]: padding[first] }, 50);
    expect(maxDifference(loaded.apply(feed(corrupted)) as tf.Tensor, before)).toBeLessThanOrEqual(1e-6);
  });

  it("inside a MultimodalModel: the encoders' padding masks reach the fusion, and the model round-trips", async () => {
    const vocabSize = 7;
    const model = buildPaddedCaseModel(c, vocabSize, 3, 2);
    const inputs: Tensors = {};
    for (const [i, [m, shape]] of Object.entries(c.inputShapes).entries()) {
      if (shape.length !== 2) {
        inputs[m] = randomTensor([batch, 6], 40 + i);
        continue;
      }
      const real = paddingMasksFor(c, batch)[m];
      const ids = tf.add(tf.floor(tf.mul(tf.randomUniform([batch, shape[0]], 0, 1, 'float32', 50 + i), vocabSize - 1)), 1);
      inputs[m] = tf.cast(tf.mul(ids, real), 'int32');
    }
    const mask = masksFor(c);
    const before = model.predict({ inputs, mask });
    // Padded steps hold the pad id's embedding: changing it must not change the output.
    for (const [m, shape] of Object.entries(c.inputShapes)) {
      if (shape.length !== 2) continue;
      const table = model.model.getLayer(`${m}_embedding`);
      const [weights] = table.getWeights();
      table.setWeights([tf.concat([randomTensor([1, shape[1]], 60), weights.slice([1, 0], [-1, -1])])]);
    }
    const changedPad = model.predict({ inputs, mask });
    expect(maxDifference(changedPad, before)).toBeLessThanOrEqual(1e-6);
    const loaded = await modelFromFiles(await modelToFiles(model));
    expect(maxDifference(loaded.predict({ inputs, mask }), changedPad)).toBeLessThanOrEqual(1e-6);
    loaded.dispose();
  });
});
