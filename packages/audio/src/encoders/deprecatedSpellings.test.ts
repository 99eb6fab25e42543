import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, registry, tf, withSeed, type Encoder } from '@polyfuse/core';
import { encoderFingerprint, spellingReport } from '@polyfuse/core/testing';
import '../index.js';

/** Each rename of 0.1: the current spelling, the old one, the warning the old one gives, and an input batch. */
const renames: { name: string; current: Record<string, unknown>; old: Record<string, unknown>; warning: string; batch: number[] }[] = [
  {
    name: 'audio-cnn',
    current: { inputShape: [8, 8, 1], filters: [4], units: 6, pooling: 'flatten' },
    old: { inputShape: [8, 8, 1], filters: [4], units: 6, reduce: 'flatten' },
    warning: 'model.encoders.audio.config.reduce is deprecated; use pooling (it will be removed after 0.1).',
    batch: [2, 8, 8, 1],
  },
  {
    name: 'audio-cnn',
    current: { inputShape: [8, 8, 1], filters: [4], units: 6, pooling: 'mean' },
    old: { inputShape: [8, 8, 1], filters: [4], units: 6, reduce: 'globalAverage' },
    warning: 'model.encoders.audio.config.reduce: "globalAverage" is deprecated; use pooling: "mean" (it will be removed after 0.1).',
    batch: [2, 8, 8, 1],
  },
  {
    name: 'audio-cnn1d',
    current: { inputShape: [200, 1], filters: [4, 8], firstKernelSize: 20, firstStride: 2, units: 6 },
    old: { inputShape: [200, 1], filters: [4, 8], firstKernel: 20, firstStride: 2, units: 6 },
    warning: 'model.encoders.audio.config.firstKernel is deprecated; use firstKernelSize (it will be removed after 0.1).',
    batch: [2, 200, 1],
  },
  {
    name: 'audio-transformer',
    current: { inputShape: [6, 8], modelDim: 8, numHeads: 2, depth: 1, ffUnits: 16, pooling: 'sequence' },
    old: { inputShape: [6, 8], modelDim: 8, numHeads: 2, depth: 1, ffUnits: 16, pooling: 'none' },
    warning: 'model.encoders.audio.config.pooling: "none" is deprecated; use "sequence" (it will be removed after 0.1).',
    batch: [2, 6, 8],
  },
];

/** An encoder as a config file's `model.encoders.audio` builds it, its weights made under one seed, and its fingerprint on `x`. */
const fingerprint = (name: string, config: Record<string, unknown>, x: tf.Tensor) =>
  withSeed(3, () => encoderFingerprint(registry.create<Encoder>('encoder', name, config, 'model.encoders.audio.config', { modality: 'audio' }), x));

describe('audio encoders: deprecated spellings (until 0.1)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  for (const { name, current, old, warning, batch } of renames) {
    it(`${name}: ${JSON.stringify(old)} builds the same model as ${JSON.stringify(current)}, with one warning`, () => {
      const x = tf.randomUniform(batch, 0, 1, 'float32', 7);
      expect(spellingReport((config: Record<string, unknown>) => fingerprint(name, config, x), current, old)).toEqual({ currentWarnings: [], oldWarnings: [warning], sameModel: true });
    });
  }

  it('refuses the old and the new name together', () => {
    const both = { inputShape: [8, 8, 1], reduce: 'flatten', pooling: 'mean' };
    expect(() => registry.create('encoder', 'audio-cnn', both, 'model.encoders.audio.config')).toThrow(ConfigError);
    expect(() => registry.create('encoder', 'audio-cnn', both, 'model.encoders.audio.config')).toThrow(
      'model.encoders.audio.config: reduce and pooling are spellings of one option; keep only pooling (reduce is deprecated).',
    );
  });
});
