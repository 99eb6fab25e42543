import { describe, expect, it } from 'vitest';
import { registry, tf, type Encoder } from '@polyfuse/core';
import { checkEncoder, randomValues } from '@polyfuse/core/testing';
import '../index.js';

const build = (name: string, config: Record<string, unknown>) => () => registry.create<Encoder>('encoder', name, config, undefined, { modality: 'vitals' });
const floats = (shape: number[]) => () => tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), 5), shape);

const cases: { name: string; build: () => Encoder; inputs: () => tf.Tensor; expectedShape: number[]; steps?: number }[] = [
  { name: 'signal-mlp', build: build('signal-mlp', { inputSize: 6, units: [16, 8], batchNorm: true }), inputs: floats([4, 6]), expectedShape: [8], steps: 100 },
  { name: 'signal-cnn1d', build: build('signal-cnn1d', { inputShape: [24, 3], filters: [8, 8], units: 8 }), inputs: floats([4, 24, 3]), expectedShape: [8] },
  { name: 'signal-cnn1d (sequence)', build: build('signal-cnn1d', { inputShape: [24, 3], filters: [8], pooling: 'sequence' }), inputs: floats([4, 24, 3]), expectedShape: [12, 8] },
  { name: 'signal-gru', build: build('signal-gru', { inputShape: [10, 2], units: 8 }), inputs: floats([4, 10, 2]), expectedShape: [8] },
  { name: 'signal-gru (bidirectional, sequence, dropout)', build: build('signal-gru', { inputShape: [6, 2], units: 4, bidirectional: true, pooling: 'sequence', dropout: 0.1 }), inputs: floats([4, 6, 2]), expectedShape: [6, 8] },
  { name: 'signal-gru (bidirectional, 2 layers, mean)', build: build('signal-gru', { inputShape: [5, 2], units: 4, depth: 2, bidirectional: true, pooling: 'mean' }), inputs: floats([4, 5, 2]), expectedShape: [8] },
  { name: 'signal-embedding', build: build('signal-embedding', { columns: 3, vocabSize: 15, embeddingDim: 4, units: 8 }), inputs: () => tf.tensor2d([[1, 6, 11], [2, 7, 12], [3, 8, 13], [0, 9, 14]], [4, 3], 'int32'), expectedShape: [8] },
];

describe.each(['cpu', 'wasm'] as const)('signal encoders on %s', (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: declared shape, gradients, overfitting, no leaks, save/load', async (_name, c) => {
    const report = await checkEncoder(backend, c.build, c.inputs, { steps: c.steps ?? 50, learningRate: 0.03, modality: 'vitals' });
    expect(report.declaredShape).toEqual(c.expectedShape);
    expect(report.actualShape).toEqual(report.declaredShape);
    expect(report.zeroGradient).toEqual([]);
    expect(report.lossEnd).toBeLessThan(0.05);
    expect(report.leakedTensors).toBe(0);
    expect(report.saveLoadDifference).toBeLessThan(1e-5);
  });
});

describe('signal-gru', () => {
  it("runs core's FusedGru (torch.nn.GRU semantics), with a dropout layer before each GRU", () => {
    const encoder = build('signal-gru', { inputShape: [6, 2], units: 4, depth: 2, bidirectional: true, dropout: 0.2 })();
    const input = tf.input({ shape: encoder.inputShape });
    const model = tf.model({ inputs: input, outputs: encoder.apply(input) });
    expect(model.layers.slice(1).map((l) => `${l.getClassName()} ${l.name}`)).toEqual([
      'Dropout vitals_gru_dropout1', 'PolyfuseFusedGru vitals_gru_bigru1_forward', 'PolyfuseFusedGru vitals_gru_bigru1_backward', 'Concatenate vitals_gru_bigru1_concat',
      'Dropout vitals_gru_dropout2', 'PolyfuseFusedGru vitals_gru_bigru2_forward', 'PolyfuseFusedGru vitals_gru_bigru2_backward', 'Concatenate vitals_gru_bigru2_concat',
    ]);
  });
});

describe('signal encoder configs', () => {
  it('name the bad option', () => {
    expect(() => build('signal-mlp', {})()).toThrow(/encoder\/signal-mlp.inputSize is required/);
    expect(() => build('signal-cnn1d', { inputShape: [4, 1], filters: [8, 8, 8] })()).toThrow(/encoder\/signal-cnn1d: input \[4,1\] is too short for 3 blocks/);
    expect(() => build('signal-gru', { inputShape: [10] })()).toThrow(/signal-gru.inputShape must be \[steps, channels\]/);
  });
});
