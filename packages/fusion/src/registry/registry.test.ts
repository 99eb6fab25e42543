import { beforeAll, describe, expect, it } from 'vitest';
import { tf, initBackend, registry, createMultimodalModel, ConfigError, InputError } from '@polyfuse/core';
import '../index.js';

const fusionNames = ['attention', 'concat', 'cross-modal-transformer', 'early', 'film', 'gated', 'hybrid', 'late', 'low-rank', 'mean', 'sum', 'tensor', 'weighted'];

describe('registered components', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('registers every fusion, the heads and encoder/flatten', () => {
    for (const name of fusionNames) expect(registry.has('fusion', name), name).toBe(true);
    for (const name of ['mlp', 'linear', 'identity']) expect(registry.has('head', name)).toBe(true);
    expect(registry.has('encoder', 'flatten')).toBe(true);
  });

  it.each(fusionNames.filter((n) => n !== 'hybrid' && n !== 'late'))('builds fusion/%s by name with its defaults', (name) => {
    const model = createMultimodalModel({
      encoders: { image: { name: 'flatten', config: { inputShape: [4, 4, 1] } }, audio: { name: 'flatten', config: { inputShape: [8] } } },
      fusion: { name, config: name === 'sum' || name === 'mean' || name === 'weighted' ? { units: 8 } : {} },
      head: { name: 'mlp', config: { hiddenUnits: [8], units: 10, dropout: 0.1 } },
      seed: 1,
    });
    const out = model.predict({ inputs: { image: tf.ones([2, 4, 4, 1]), audio: tf.ones([2, 8]) } });
    expect(out.shape).toEqual([2, 10]);
  });

  it('builds late fusion with an identity head and hybrid fusion from a config', () => {
    const encoders = { image: { name: 'flatten', config: { inputShape: [3] } }, audio: { name: 'flatten', config: { inputShape: [2] } } };
    const late = createMultimodalModel({ encoders, fusion: { name: 'late', config: { units: 4, combine: 'learned' } }, head: { name: 'identity' } });
    expect(late.parameterCounts().fusion).toBe(3 * 4 + 4 + 2 * 4 + 4 + 2);
    const hybrid = createMultimodalModel({
      encoders,
      fusion: { name: 'hybrid', config: { fusions: [{ name: 'tensor' }, { name: 'late', config: { units: 4, modalities: ['image'] } }], units: 6 } },
      head: { name: 'linear', config: { units: 4 } },
      auxiliaryHeads: { name: 'linear', config: { units: 4 } },
    });
    expect(hybrid.outputNames).toEqual(['logits', 'logits_image', 'logits_audio']);
    expect(hybrid.predict({ inputs: { image: tf.ones([1, 3]), audio: tf.ones([1, 2]) } }).shape).toEqual([1, 4]);
  });

  it('explains bad configs and inputs', () => {
    const context = { inputShapes: { image: [4], audio: [3] } };
    expect(() => registry.create('fusion', 'film', { target: 'text' }, undefined, context)).toThrow(/target is 'text'/);
    expect(() => registry.create('fusion', 'concat', { modalities: ['video'] }, undefined, context)).toThrow(/'video', which has no encoder/);
    expect(() => registry.create('fusion', 'late', {}, undefined, context)).toThrow(/units is required/);
    expect(() => registry.create('fusion', 'late', { units: 2, combine: 'weighted' }, undefined, context)).toThrow(ConfigError);
    expect(() => registry.create('fusion', 'late', { units: 2, combine: 'product', decision: 'linear' }, undefined, context)).toThrow(/product/);
    expect(() => registry.create('fusion', 'mean', {}, undefined, context)).toThrow(/equal embedding sizes/);
    expect(() => registry.create('fusion', 'gated', {}, undefined, { inputShapes: { image: [5, 4], audio: [3] } })).toThrow(/cross-modal-transformer/);
    expect(() => registry.create('fusion', 'cross-modal-transformer', { modelDim: 10, numHeads: 4 }, undefined, context)).toThrow(/divisible/);
    expect(() => registry.create('fusion', 'hybrid', { fusions: [] }, undefined, context)).toThrow(/non-empty/);
    const fusion = registry.create<import('@polyfuse/core').Fusion>('fusion', 'concat', {}, undefined, context);
    expect(() => fusion.apply({ image: tf.ones([2, 4]), audio: tf.ones([2, 5]) }, { image: tf.ones([2]), audio: tf.ones([2]) })).toThrow(/embeddings.audio has shape \[2, 5\]; expected \[batch, 3\]/);
    expect(() => fusion.apply({ image: tf.ones([2, 4]), audio: tf.ones([2, 3]) }, { image: tf.ones([2]) })).toThrow(InputError);
    expect(() => registry.create('head', 'mlp', { units: 0 }, undefined, { inputShape: [4] })).toThrow(/units/);
  });
});
