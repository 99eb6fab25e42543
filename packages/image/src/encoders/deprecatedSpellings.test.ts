import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, initBackend, registry, tf, withSeed, type Encoder } from '@polyfuse/core';
import { encoderFingerprint, spellingReport } from '@polyfuse/core/testing';
import { registerPretrainedModel } from '../index.js';

/** Each rename of 0.1: the current spelling, the old one, and the warning the old one gives. */
const renames: { name: string; current: Record<string, unknown>; old: Record<string, unknown>; warning: string }[] = [
  {
    name: 'image-cnn',
    current: { inputShape: [8, 8, 1], filters: [4], units: 6, pooling: 'sequence' },
    old: { inputShape: [8, 8, 1], filters: [4], units: 6, reduce: 'sequence' },
    warning: 'model.encoders.image.config.reduce is deprecated; use pooling (it will be removed after 0.1).',
  },
  {
    name: 'image-cnn',
    current: { inputShape: [8, 8, 1], filters: [4], units: 6, pooling: 'mean' },
    old: { inputShape: [8, 8, 1], filters: [4], units: 6, reduce: 'globalAverage' },
    warning: 'model.encoders.image.config.reduce: "globalAverage" is deprecated; use pooling: "mean" (it will be removed after 0.1).',
  },
  {
    name: 'image-vit',
    current: { inputShape: [8, 8, 1], patchSize: 4, modelDim: 8, numHeads: 2, depth: 1, pooling: 'first' },
    old: { inputShape: [8, 8, 1], patchSize: 4, modelDim: 8, numHeads: 2, depth: 1, pooling: 'class' },
    warning: 'model.encoders.image.config.pooling: "class" is deprecated; use "first" (it will be removed after 0.1).',
  },
  {
    name: 'pretrained',
    current: { model: 'tiny-deprecations', featureLayer: 'conv', pooling: 'mean' },
    old: { model: 'tiny-deprecations', featureLayer: 'conv', pooling: 'globalAverage' },
    warning: 'model.encoders.image.config.pooling: "globalAverage" is deprecated; use "mean" (it will be removed after 0.1).',
  },
];

/** An encoder as a config file's `model.encoders.image` builds it, its weights made under one seed, and its fingerprint on `x`. */
const fingerprint = (name: string, config: Record<string, unknown>, x: tf.Tensor) =>
  withSeed(3, () => encoderFingerprint(registry.create<Encoder>('encoder', name, config, 'model.encoders.image.config', { modality: 'image' }), x));

describe('image encoders: deprecated spellings (until 0.1)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
    const input = tf.input({ shape: [8, 8, 1] });
    const conv = tf.layers.conv2d({ filters: 3, kernelSize: 3, name: 'conv' }).apply(input) as tf.SymbolicTensor;
    registerPretrainedModel('tiny-deprecations', tf.model({ inputs: input, outputs: conv }));
  });

  for (const { name, current, old, warning } of renames) {
    it(`${name}: ${JSON.stringify(old)} builds the same model as ${JSON.stringify(current)}, with one warning`, () => {
      const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 7);
      expect(spellingReport((config: Record<string, unknown>) => fingerprint(name, config, x), current, old)).toEqual({ currentWarnings: [], oldWarnings: [warning], sameModel: true });
    });
  }

  it('refuses the old and the new name together', () => {
    expect(() => registry.create('encoder', 'image-cnn', { inputShape: [8, 8, 1], reduce: 'flatten', pooling: 'flatten' }, 'model.encoders.image.config')).toThrow(ConfigError);
    expect(() => registry.create('encoder', 'image-cnn', { inputShape: [8, 8, 1], reduce: 'flatten', pooling: 'flatten' }, 'model.encoders.image.config')).toThrow(
      'model.encoders.image.config: reduce and pooling are spellings of one option; keep only pooling (reduce is deprecated).',
    );
  });

  it('keeps the config an encoder was built from as { name, config }', () => {
    const encoder = registry.create<Encoder>('encoder', 'image-resnet', { inputShape: [8, 8, 1], filters: [4] });
    expect(encoder.config).toEqual({ name: 'image-resnet', config: { inputShape: [8, 8, 1], filters: [4], blocksPerStage: 1, units: 0, dropout: 0 } });
  });
});
