import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { validateConfig, type ConfigSchema } from './configSchema.js';

const schema: ConfigSchema = {
  size: { type: 'integer', min: 1, required: true },
  rate: { type: 'number', min: 0, max: 1, default: 0.5 },
  name: { type: 'string', default: 'x' },
  shuffle: { type: 'boolean', default: true },
  shape: { type: 'number[]', default: [1] },
  labels: { type: 'string[]', default: [] },
  options: { type: 'object', default: {} },
  mode: { type: 'string', enum: ['mean', 'max'], default: 'mean' },
};

const messageOf = (config: Record<string, unknown>): string => {
  try {
    validateConfig(schema, config, 'encoder/demo');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('validateConfig', () => {
  it('fills defaults and returns copies of them', () => {
    const a = validateConfig<{ shape: number[]; rate: number }>(schema, { size: 2 });
    const b = validateConfig<{ shape: number[] }>(schema, { size: 2 });
    expect(a).toMatchObject({ size: 2, rate: 0.5, shape: [1], mode: 'mean' });
    a.shape.push(2);
    expect(b.shape).toEqual([1]);
  });

  it('says what each type expects in plain English', () => {
    expect(messageOf({})).toBe('encoder/demo.size is required (an integer >= 1).');
    expect(messageOf({ size: 1.5 })).toBe('encoder/demo.size must be an integer >= 1, got 1.5.');
    expect(messageOf({ size: 1, rate: 2 })).toBe('encoder/demo.rate must be a number >= 0 <= 1, got 2.');
    expect(messageOf({ size: 1, name: 3 })).toBe('encoder/demo.name must be a string, got 3.');
    expect(messageOf({ size: 1, shuffle: 'yes' })).toBe('encoder/demo.shuffle must be true or false, got "yes".');
    expect(messageOf({ size: 1, shape: [1, 'a'] })).toBe('encoder/demo.shape must be an array of numbers, got [1,"a"].');
    expect(messageOf({ size: 1, labels: [1] })).toBe('encoder/demo.labels must be an array of strings, got [1].');
    expect(messageOf({ size: 1, options: [] })).toBe('encoder/demo.options must be an object, got [].');
    expect(messageOf({ size: 1, mode: 'sum' })).toBe('encoder/demo.mode must be one of "mean", "max", got "sum".');
  });

  it('rejects NaN and unknown options by name', () => {
    expect(messageOf({ size: 1, rate: Number.NaN })).toBe('encoder/demo.rate must be a number >= 0 <= 1, got NaN.');
    expect(messageOf({ size: 1, sise: 2 })).toMatch(/encoder\/demo\.sise is not a known option\. Known options: size, rate/);
  });
});
