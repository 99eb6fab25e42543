import { describe, expect, it } from 'vitest';
import { ConfigError, Registry, componentConfig, validateConfig, warnDeprecated, type ConfigSchema } from '../index.js';
import { recordDeprecations } from '../testing/index.js';

const schema: ConfigSchema = {
  modelDim: { type: 'integer', min: 1, default: 32, deprecated: { names: ['embeddingDim'] } },
  pooling: { type: 'string', enum: ['mean', 'last', 'sequence'], default: 'mean', deprecated: { names: ['output'], values: { none: 'sequence', pooled: 'last' } } },
};

describe('deprecated option spellings', () => {
  it('maps an old name to the new one and warns once, naming the config path', () => {
    const { value, warnings } = recordDeprecations(() => validateConfig(schema, { embeddingDim: 16 }, 'model.encoders.text.config'));
    expect(value).toEqual({ modelDim: 16, pooling: 'mean' });
    expect(warnings).toEqual(['model.encoders.text.config.embeddingDim is deprecated; use modelDim (it will be removed after 0.1).']);
  });

  it('maps an old value, and an old name with an old value in one message', () => {
    const value = recordDeprecations(() => validateConfig(schema, { pooling: 'none' }, 'encoder/x'));
    expect(value.value.pooling).toBe('sequence');
    expect(value.warnings).toEqual(['encoder/x.pooling: "none" is deprecated; use "sequence" (it will be removed after 0.1).']);
    const both = recordDeprecations(() => validateConfig(schema, { output: 'pooled' }, 'encoder/x'));
    expect(both.value).toEqual({ modelDim: 32, pooling: 'last' });
    expect(both.warnings).toEqual(['encoder/x.output: "pooled" is deprecated; use pooling: "last" (it will be removed after 0.1).']);
  });

  it('is silent for the current spellings', () => {
    expect(recordDeprecations(() => validateConfig(schema, { modelDim: 8, pooling: 'sequence' })).warnings).toEqual([]);
  });

  it('refuses the old and the new name of one option together', () => {
    expect(() => validateConfig(schema, { embeddingDim: 8, modelDim: 8 }, 'model.encoders.text.config')).toThrow(ConfigError);
    expect(() => validateConfig(schema, { embeddingDim: 8, modelDim: 8 }, 'model.encoders.text.config')).toThrow(
      'model.encoders.text.config: embeddingDim and modelDim are spellings of one option; keep only modelDim (embeddingDim is deprecated).',
    );
  });

  it('still validates the value an old name carries', () => {
    expect(() => recordDeprecations(() => validateConfig(schema, { embeddingDim: 0 }, 'c'))).toThrow('c.modelDim must be an integer >= 1, got 0.');
  });

  it('warns once per message, however often a config is validated', () => {
    const registry = new Registry();
    registry.register({ kind: 'encoder', name: 'toy', schema, create: (config) => config });
    const { warnings } = recordDeprecations(() => {
      for (let i = 0; i < 3; i++) registry.create('encoder', 'toy', { embeddingDim: 4 }, 'model.encoders.a.config');
      registry.create('encoder', 'toy', { embeddingDim: 4 }, 'model.encoders.b.config');
      warnDeprecated('something else');
      warnDeprecated('something else');
    });
    expect(warnings).toEqual([
      'model.encoders.a.config.embeddingDim is deprecated; use modelDim (it will be removed after 0.1).',
      'model.encoders.b.config.embeddingDim is deprecated; use modelDim (it will be removed after 0.1).',
      'something else',
    ]);
  });
});

describe('componentConfig', () => {
  it('is { name, config }, and still reads options at the top level with a warning', () => {
    const described = componentConfig('image-cnn', { units: 8 });
    expect(described).toEqual({ name: 'image-cnn', config: { units: 8 } });
    expect(JSON.parse(JSON.stringify(described))).toEqual({ name: 'image-cnn', config: { units: 8 } });
    const { value, warnings } = recordDeprecations(() => (described as Record<string, unknown>).units);
    expect(value).toBe(8);
    expect(warnings).toEqual(['encoder/image-cnn: reading the option units as .config.units is deprecated; read .config.config.units (it will be removed after 0.1).']);
  });
});
