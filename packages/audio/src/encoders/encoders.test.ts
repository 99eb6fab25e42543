import { describe, expect, it } from 'vitest';
import { createMultimodalModel, registry, tf, ConfigError, type Encoder } from '@polyfuse/core';
import { checkEncoder, randomValues } from '@polyfuse/core/testing';
import { createAudioCnnEncoder } from './audioCnn.js';
import { createAudioCnn1dEncoder } from './audioCnn1d.js';
import { createAudioTransformerEncoder } from './audioTransformer.js';
import '../index.js';

const cases: { name: string; build: () => Encoder; inputShape: number[]; steps: number }[] = [
  { name: 'audio-cnn', build: () => createAudioCnnEncoder({ inputShape: [16, 12, 1], filters: [8, 16], units: 16, modality: 'audio' }), inputShape: [16, 12, 1], steps: 40 },
  { name: 'audio-cnn1d', build: () => createAudioCnn1dEncoder({ inputShape: [400, 1], filters: [8, 16], firstKernelSize: 20, firstStride: 2, units: 16, modality: 'audio' }), inputShape: [400, 1], steps: 40 },
  { name: 'audio-transformer', build: () => createAudioTransformerEncoder({ inputShape: [8, 6, 1], modelDim: 16, numHeads: 2, depth: 1, ffUnits: 32, modality: 'audio' }), inputShape: [8, 6, 1], steps: 40 },
  { name: 'audio-transformer (sequence output)', build: () => createAudioTransformerEncoder({ inputShape: [6, 8], modelDim: 8, numHeads: 2, depth: 2, ffUnits: 16, pooling: 'sequence', modality: 'audio' }), inputShape: [6, 8], steps: 40 },
];

describe.each(['cpu', 'wasm'] as const)('audio encoders on %s', (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: declared shape, gradients, overfitting, no leaks, save/load', async (_name, c) => {
    const batch = 4;
    const size = c.inputShape.reduce((a, b) => a * b, 1);
    const report = await checkEncoder(backend, c.build, () => tf.tensor(randomValues(batch * size, 11), [batch, ...c.inputShape]), { steps: c.steps, learningRate: 0.02, modality: 'audio' });
    expect(report.actualShape).toEqual(report.declaredShape);
    expect(report.zeroGradient).toEqual([]);
    expect(report.variableCount).toBeGreaterThan(2);
    expect(report.lossEnd).toBeLessThan(0.05);
    expect(report.lossEnd).toBeLessThan(report.lossStart);
    expect(report.leakedTensors).toBe(0);
    expect(report.saveLoadDifference).toBeLessThan(1e-5);
  });
});

describe('audio encoders in the registry', () => {
  it('are built by name with the modality as layer-name prefix', () => {
    expect(registry.list('encoder')).toEqual(expect.arrayContaining(['audio-cnn', 'audio-cnn1d', 'audio-transformer']));
    const encoder = registry.create<Encoder>('encoder', 'audio-cnn', {}, undefined, { modality: 'speech' });
    expect(encoder.inputShape).toEqual([40, 32, 1]);
    expect(encoder.outputShape).toEqual([64]);
    expect(encoder.config).toMatchObject({ name: 'audio-cnn', config: { filters: [16, 32, 64] } });
  });

  it('reject impossible configurations with the option named', () => {
    expect(() => createAudioCnnEncoder({ inputShape: [40, 32] })).toThrow(/audio-cnn.inputShape must be \[nMels, frames, channels\]/);
    expect(() => createAudioCnn1dEncoder({ inputShape: [50, 1], firstStride: 4, pool: 4 })).toThrow(/too short/);
    expect(() => createAudioTransformerEncoder({ modelDim: 10, numHeads: 4 })).toThrow(ConfigError);
    expect(() => createAudioCnnEncoder({ kernel: 3 })).toThrow(/encoder\/audio-cnn.kernel is not a known option/);
  });

  it('build into a model from a config file spec', () => {
    registry.register({ kind: 'fusion', name: 'test-flatten', create: (c: Record<string, unknown>) => {
      const m = (c.inputShapes as Record<string, number[]>);
      const modality = Object.keys(m)[0]!;
      return { modalities: [modality], outputShape: m[modality]!, config: {}, apply: (e: Record<string, tf.SymbolicTensor>) => e[modality]! };
    } }, { override: true });
    registry.register({ kind: 'head', name: 'test-linear', create: () => ({ outputShape: [10], config: {}, apply: (x: tf.SymbolicTensor) => tf.layers.dense({ units: 10 }).apply(x) }) }, { override: true });
    const model = createMultimodalModel({
      encoders: { audio: { name: 'audio-transformer', config: { depth: 1 } } },
      fusion: { name: 'test-flatten' },
      head: { name: 'test-linear' },
    });
    expect(model.metadata.inputShapes.audio).toEqual([40, 32, 1]);
    expect(model.parameterCounts()['encoder:audio']).toBeGreaterThan(0);
    // Same seed, same weights (custom layers included).
    const weights = (m: typeof model) => m.model.getWeights().map((w) => Array.from(w.dataSync()));
    const again = createMultimodalModel({
      encoders: { audio: { name: 'audio-transformer', config: { depth: 1 } } },
      fusion: { name: 'test-flatten' },
      head: { name: 'test-linear' },
    });
    expect(weights(again)).toEqual(weights(model));
    model.dispose();
    again.dispose();
  });
});
