import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend } from '@polyfuse/core';
import { buildCaseModel, fusionCases, randomTensor } from '../testing/fusionCases.js';
import { evaluateRobustness } from './evaluateRobustness.js';
import { effectiveRobustness, relativeRobustness } from './robustnessMetrics.js';
import { signalDroppedValues, signalGaussianNoise } from './signalNoise.js';

describe('robustness evaluation', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('computes MultiBench relative and effective robustness', () => {
    // MultiBench: area = Σ (v_i + v_{i+1}) · 0.1 / 2 over 0, 0.1, ..., 1.
    expect(relativeRobustness(new Array(11).fill(1))).toBeCloseTo(1, 10);
    expect(relativeRobustness([1, 0.5, 0], [0, 0.5, 1])).toBeCloseTo(0.5, 10);
    // f = [0.9, 0.8, 0.7], late fusion b = [0.8, 0.6, 0.4] → shifted b = [0.9, 0.7, 0.5] → gain 0 + 0.1 + 0.2.
    expect(effectiveRobustness([0.9, 0.8, 0.7], [0.8, 0.6, 0.4])).toBeCloseTo(0.3, 10);
  });

  it('reports the metric against noise level and with each modality missing, reproducibly', () => {
    const model = buildCaseModel(fusionCases.find((c) => c.label === 'concat')!);
    const inputs = { image: randomTensor([64, 6], 1), audio: randomTensor([64, 6], 2) };
    const labels = Array.from(model.predict({ inputs }).argMax(1).dataSync());
    const options = {
      model,
      data: { inputs, labels },
      noise: { image: { gaussian: signalGaussianNoise, dropped: signalDroppedValues } },
      levels: [0, 0.5, 1],
      batchSize: 20,
      seed: 3,
    };
    const report = evaluateRobustness(options);
    expect(report.clean).toBe(1);
    expect(Object.keys(report.missing)).toEqual(['image', 'audio']);
    expect(report.missing.image).toBeLessThan(1);
    expect(report.curves.map((c) => `${c.modality}/${c.noise}`)).toEqual(['image/gaussian', 'image/dropped']);
    const gaussian = report.curves[0];
    expect(gaussian.values[0]).toBe(1);
    expect(gaussian.values[2]).toBeLessThan(1);
    expect(gaussian.relativeRobustness).toBeCloseTo(relativeRobustness(gaussian.values, [0, 0.5, 1]), 10);
    expect(evaluateRobustness(options)).toEqual(report);
    const withBaseline = evaluateRobustness({ ...options, baseline: report });
    expect(withBaseline.curves[0].effectiveRobustness).toBeCloseTo(0, 10);
    const before = tf.memory().numTensors;
    evaluateRobustness(options);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects unknown modalities and bad levels', () => {
    const model = buildCaseModel(fusionCases[0]);
    const data = { inputs: { image: tf.zeros([2, 6]), audio: tf.zeros([2, 6]) }, labels: [0, 1] };
    expect(() => evaluateRobustness({ model, data, noise: { text: { x: signalGaussianNoise } } })).toThrow(/no modality 'text'/);
    expect(() => evaluateRobustness({ model, data, noise: {}, levels: [2] })).toThrow(/\[0, 1\]/);
  });
});
