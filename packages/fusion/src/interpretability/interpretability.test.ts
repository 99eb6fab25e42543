import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '@polyfuse/core';
import { buildCaseModel, buildFusion, fusionCases, randomTensor } from '../testing/fusionCases.js';
import { modalityContributions } from './modalityContributions.js';
import { modelAttentionMaps, modelModalityWeights } from './modelModalityWeights.js';
import type { LayerFusion } from '../fusions/layerFusion.js';

const caseNamed = (label: string) => fusionCases.find((c) => c.label === label)!;

describe('interpretability', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('exposes per-sample attention weights that sum to 1 over present modalities', () => {
    const c = caseNamed('attention');
    const fusion = buildFusion(c) as LayerFusion;
    const embeddings = Object.fromEntries(Object.entries(c.inputShapes).map(([m, s], i) => [m, randomTensor([3, ...s], i)]));
    const masks = { image: tf.tensor1d([1, 0, 1]), audio: tf.tensor1d([1, 1, 0]), text: tf.tensor1d([1, 1, 1]) };
    const weights = fusion.modalityWeights(embeddings, masks);
    const w = Object.fromEntries(Object.entries(weights).map(([m, t]) => [m, Array.from(t.dataSync())]));
    expect(w.image[1]).toBe(0);
    expect(w.audio[2]).toBe(0);
    for (let b = 0; b < 3; b++) expect(w.image[b] + w.audio[b] + w.text[b]).toBeCloseTo(1, 5);
  });

  it('reads modality weights out of a whole model, by modality name', () => {
    const model = buildCaseModel(caseNamed('gated'));
    const inputs = { image: randomTensor([2, 6], 1), audio: randomTensor([2, 6], 2) };
    const [report] = modelModalityWeights(model, { inputs, mask: { image: tf.tensor1d([1, 1]), audio: tf.tensor1d([1, 0]) } });
    expect(Object.keys(report.weights)).toEqual(['image', 'audio']);
    expect(report.weights.audio[1]).toBe(0);
    expect(report.weights.image[1]).toBeCloseTo(1, 5);
    expect(report.weights.image[0] + report.weights.audio[0]).toBeCloseTo(1, 5);
  });

  it('returns cross-modal attention maps per (target, source) pair', () => {
    const model = buildCaseModel(caseNamed('cross-modal-transformer'));
    const inputs = { image: randomTensor([2, 6], 1), audio: randomTensor([2, 6], 2) };
    const [{ maps }] = modelAttentionMaps(model, { inputs });
    expect(Object.keys(maps).sort()).toEqual(['audio->image', 'image->audio']);
    expect([maps['image->audio'].length, maps['image->audio'][0].length, maps['image->audio'][0][0].length]).toEqual([2, 5, 3]);
    expect(maps['image->audio'][1][4].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('reports masked-modality metrics and gradient × input attribution', () => {
    const model = buildCaseModel(caseNamed('concat'));
    // Silence the audio encoder: its embedding is tanh(0) = 0 for every input.
    const audioDense = model.model.getLayer('audio_dense');
    audioDense.setWeights(audioDense.getWeights().map((w) => tf.zerosLike(w)));
    const inputs = { image: randomTensor([16, 6], 5), audio: randomTensor([16, 6], 6) };
    const labels = Array.from(model.predict({ inputs }).argMax(1).dataSync());
    const report = modalityContributions(model, { inputs, labels });
    expect(report.full).toBe(1);
    expect(report.masked.audio).toBe(1);
    expect(report.drop.audio).toBe(0);
    expect(report.masked.image).toBeLessThan(1);
    expect(report.attribution.audio).toBe(0);
    expect(report.attribution.image).toBeGreaterThan(0);
    expect(report.attributionShare.image).toBe(1);
    expect(report.perSample.image).toHaveLength(16);
  });

  it('does not leak tensors', () => {
    const model = buildCaseModel(caseNamed('attention'));
    const inputs = { image: randomTensor([4, 6], 1), audio: randomTensor([4, 6], 2), text: randomTensor([4, 6], 3) };
    modalityContributions(model, { inputs, labels: [0, 1, 2, 0] });
    modelModalityWeights(model, { inputs });
    const before = tf.memory().numTensors;
    modalityContributions(model, { inputs, labels: [0, 1, 2, 0] });
    modelModalityWeights(model, { inputs });
    expect(tf.memory().numTensors).toBe(before);
  });
});
