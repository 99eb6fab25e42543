import { describe, expect, it } from 'vitest';
import { Registry, ConfigError, validateConfig } from '../index.js';

describe('Registry', () => {
  const registry = new Registry();
  registry.register({
    kind: 'encoder',
    name: 'toy',
    description: 'a toy encoder',
    schema: {
      units: { type: 'integer', default: 8, min: 1 },
      activation: { type: 'string', enum: ['relu', 'tanh'], default: 'relu' },
    },
    create: (config) => ({ built: config }),
  });

  it('builds a component with defaults filled and context merged', () => {
    expect(registry.create('encoder', 'toy', { units: 4 }, undefined, { modality: 'image' })).toEqual({
      built: { units: 4, activation: 'relu', modality: 'image' },
    });
    expect(registry.list('encoder')).toEqual(['toy']);
  });

  it('names the unknown component and lists the known ones', () => {
    expect(() => registry.create('encoder', 'resnet')).toThrow(ConfigError);
    expect(() => registry.create('encoder', 'resnet')).toThrow(/Unknown encoder 'resnet'. Registered encoder names: toy/);
  });

  it('gives the path of a bad field and the allowed values', () => {
    expect(() => registry.create('encoder', 'toy', { activation: 'gelu' }, 'model.encoders.image.config')).toThrow(
      /model\.encoders\.image\.config\.activation must be one of "relu", "tanh", got "gelu"/,
    );
    expect(() => registry.create('encoder', 'toy', { units: 0 })).toThrow(/units must be an integer >= 1, got 0/);
    expect(() => registry.create('encoder', 'toy', { unit: 3 })).toThrow(/unit is not a known option. Known options: units, activation/);
  });

  it('refuses to register a name twice unless asked to override', () => {
    const entry = { kind: 'fusion', name: 'x', create: () => 1 };
    registry.register(entry);
    expect(() => registry.register(entry)).toThrow(/already registered/);
    registry.register({ ...entry, create: () => 2 }, { override: true });
    expect(registry.create('fusion', 'x')).toBe(2);
  });

  it('requires required fields', () => {
    expect(() => validateConfig({ path: { type: 'string', required: true } }, {}, 'data')).toThrow(/data\.path is required/);
  });
});
