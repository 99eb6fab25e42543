import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, registry, tf, withSeed, type Encoder } from '@polyfuse/core';
import { encoderFingerprint, spellingReport } from '@polyfuse/core/testing';
import '../index.js';

/** Each rename of 0.1: the current spelling, the old one, the warning the old one gives, and an input batch. */
const renames: { name: string; current: Record<string, unknown>; old: Record<string, unknown>; warning: string; input: () => tf.Tensor }[] = [
  {
    name: 'signal-cnn1d',
    current: { inputShape: [24, 3], filters: [8], pooling: 'sequence' },
    old: { inputShape: [24, 3], filters: [8], pooling: 'none' },
    warning: 'model.encoders.signal.config.pooling: "none" is deprecated; use "sequence" (it will be removed after 0.1).',
    input: () => tf.randomUniform([2, 24, 3], 0, 1, 'float32', 7),
  },
  {
    name: 'signal-gru',
    current: { inputShape: [6, 2], units: 4, pooling: 'sequence' },
    old: { inputShape: [6, 2], units: 4, pooling: 'none' },
    warning: 'model.encoders.signal.config.pooling: "none" is deprecated; use "sequence" (it will be removed after 0.1).',
    input: () => tf.randomUniform([2, 6, 2], 0, 1, 'float32', 7),
  },
  {
    name: 'signal-gru',
    current: { inputShape: [6, 2], units: 4, depth: 2 },
    old: { inputShape: [6, 2], units: 4, layers: 2 },
    warning: 'model.encoders.signal.config.layers is deprecated; use depth (it will be removed after 0.1).',
    input: () => tf.randomUniform([2, 6, 2], 0, 1, 'float32', 7),
  },
  {
    name: 'signal-embedding',
    current: { columns: 3, vocabSize: 15, embeddingDim: 4, units: 8 },
    old: { columns: 3, vocabularySize: 15, embeddingDim: 4, units: 8 },
    warning: 'model.encoders.signal.config.vocabularySize is deprecated; use vocabSize (it will be removed after 0.1).',
    input: () => tf.tensor2d([[1, 6, 11], [2, 7, 12]], [2, 3], 'int32'),
  },
  {
    name: 'signal-embedding',
    current: { columns: 3, vocabSize: 15, embeddingDim: 4, units: 8 },
    old: { columns: 3, vocabSize: 15, embeddingSize: 4, units: 8 },
    warning: 'model.encoders.signal.config.embeddingSize is deprecated; use embeddingDim (it will be removed after 0.1).',
    input: () => tf.tensor2d([[1, 6, 11], [2, 7, 12]], [2, 3], 'int32'),
  },
];

/** An encoder as a config file's `model.encoders.signal` builds it, its weights made under one seed, and its fingerprint on `x`. */
const fingerprint = (name: string, config: Record<string, unknown>, x: tf.Tensor) =>
  withSeed(3, () => encoderFingerprint(registry.create<Encoder>('encoder', name, config, 'model.encoders.signal.config', { modality: 'signal' }), x));

describe('signal encoders: deprecated spellings (until 0.1)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  for (const { name, current, old, warning, input } of renames) {
    it(`${name}: ${JSON.stringify(old)} builds the same model as ${JSON.stringify(current)}, with one warning`, () => {
      const x = input();
      expect(spellingReport((config: Record<string, unknown>) => fingerprint(name, config, x), current, old)).toEqual({ currentWarnings: [], oldWarnings: [warning], sameModel: true });
    });
  }

  it('refuses the old and the new name together', () => {
    const both = { inputShape: [6, 2], layers: 2, depth: 2 };
    expect(() => registry.create('encoder', 'signal-gru', both, 'model.encoders.signal.config')).toThrow(ConfigError);
    expect(() => registry.create('encoder', 'signal-gru', both, 'model.encoders.signal.config')).toThrow(
      'model.encoders.signal.config: layers and depth are spellings of one option; keep only depth (layers is deprecated).',
    );
  });

  it('names its layers with the shared core helper, as before (<modality>_<encoder>_<part>)', () => {
    const encoder = registry.create<Encoder>('encoder', 'signal-mlp', { inputSize: 3, units: [4] }, undefined, { modality: 'vitals' });
    const symbolic = tf.input({ shape: [3] });
    const model = tf.model({ inputs: symbolic, outputs: encoder.apply(symbolic) });
    expect(model.layers.slice(1).map((l) => l.name)).toEqual(['vitals_mlp_dense1', 'vitals_mlp_act1']);
  });
});
