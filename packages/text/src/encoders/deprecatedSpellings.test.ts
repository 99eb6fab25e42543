import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, registry, tf, validateConfig, withSeed, type Encoder } from '@polyfuse/core';
import { encoderFingerprint, recordDeprecations, spellingReport } from '@polyfuse/core/testing';
import { textTransformerSchema } from '../index.js';

const tokens = { vocabSize: 12, maxLength: 6 };

/** Each rename of 0.1: the current spelling, the old one, and the warning the old one gives. */
const renames: { name: string; current: Record<string, unknown>; old: Record<string, unknown>; warning: string }[] = [
  {
    name: 'text-transformer',
    current: { ...tokens, modelDim: 8, numHeads: 2, depth: 1 },
    old: { ...tokens, embeddingDim: 8, numHeads: 2, depth: 1 },
    warning: 'model.encoders.text.config.embeddingDim is deprecated; use modelDim (it will be removed after 0.1).',
  },
  {
    name: 'text-rnn',
    current: { ...tokens, embeddingDim: 8, cell: 'gru', units: 4, depth: 2 },
    old: { ...tokens, embeddingDim: 8, cell: 'gru', units: 4, layers: 2 },
    warning: 'model.encoders.text.config.layers is deprecated; use depth (it will be removed after 0.1).',
  },
  {
    name: 'text-rnn',
    current: { ...tokens, embeddingDim: 8, units: 4, pooling: 'last' },
    old: { ...tokens, embeddingDim: 8, units: 4, output: 'pooled' },
    warning: 'model.encoders.text.config.output: "pooled" is deprecated; use pooling: "last" (it will be removed after 0.1).',
  },
  {
    name: 'text-rnn',
    current: { ...tokens, embeddingDim: 8, units: 4, pooling: 'sequence' },
    old: { ...tokens, embeddingDim: 8, units: 4, output: 'sequence' },
    warning: 'model.encoders.text.config.output is deprecated; use pooling (it will be removed after 0.1).',
  },
];

/** An encoder as a config file's `model.encoders.text` builds it, its weights made under one seed, and its fingerprint on `x`. */
const fingerprint = (name: string, config: Record<string, unknown>, x: tf.Tensor) =>
  withSeed(3, () => encoderFingerprint(registry.create<Encoder>('encoder', name, config, 'model.encoders.text.config', { modality: 'text' }), x));

describe('text encoders: deprecated spellings (until 0.1)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  for (const { name, current, old, warning } of renames) {
    it(`${name}: ${JSON.stringify(old)} builds the same model as ${JSON.stringify(current)}, with one warning`, () => {
      const x = tf.tensor2d([[3, 4, 5, 0, 0, 0], [1, 2, 3, 4, 5, 6]], [2, 6], 'int32');
      expect(spellingReport((config: Record<string, unknown>) => fingerprint(name, config, x), current, old)).toEqual({ currentWarnings: [], oldWarnings: [warning], sameModel: true });
    });
  }

  it('gives the config path in the CLI (validated, then built from the current spelling)', () => {
    const { value, warnings } = recordDeprecations(() => validateConfig(textTransformerSchema, { ...tokens, embeddingDim: 16 }, 'model.encoders.description.config'));
    expect(value).toMatchObject({ modelDim: 16 });
    expect(value).not.toHaveProperty('embeddingDim');
    expect(warnings).toEqual(['model.encoders.description.config.embeddingDim is deprecated; use modelDim (it will be removed after 0.1).']);
  });

  it('refuses the old and the new name together', () => {
    const both = { ...tokens, embeddingDim: 8, modelDim: 8 };
    expect(() => registry.create('encoder', 'text-transformer', both, 'model.encoders.text.config')).toThrow(ConfigError);
    expect(() => registry.create('encoder', 'text-transformer', both, 'model.encoders.text.config')).toThrow(
      'model.encoders.text.config: embeddingDim and modelDim are spellings of one option; keep only modelDim (embeddingDim is deprecated).',
    );
    expect(() => registry.create('encoder', 'text-rnn', { ...tokens, layers: 2, depth: 2 }, 'model.encoders.text.config')).toThrow(ConfigError);
  });

  it('keeps the config an encoder was built from as { name, config }', () => {
    const encoder = registry.create<Encoder>('encoder', 'text-bag', { ...tokens, embeddingDim: 4 });
    expect(encoder.config).toEqual({ name: 'text-bag', config: { ...tokens, embeddingDim: 4, padId: 0, trainableEmbedding: true, units: 0, activation: 'relu' } });
  });
});
