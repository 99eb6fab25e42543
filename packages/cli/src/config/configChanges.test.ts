import { describe, expect, it } from 'vitest';
import { ConfigError } from '@polyfuse/core';
import { checkResumeConfig, configChanges, parseAllowedChanges, resumeSafeFields } from './configChanges.js';

describe('config changes on --resume', () => {
  const saved = { name: 'a', training: { epochs: 2, batchSize: 8, seed: 1 }, evaluation: { robustness: [0, 1], examples: 4 }, optimizer: { name: 'adam', config: { learningRate: 0.01 } } };

  it('lists every differing leaf by its field path', () => {
    const current = { ...saved, training: { ...saved.training, epochs: 4 }, evaluation: { robustness: [0, 0.5, 1], examples: 4 }, optimizer: { name: 'adam', config: { learningRate: 0.1 } } };
    expect(configChanges(saved, current)).toEqual([
      { path: 'training.epochs', before: 2, after: 4 },
      { path: 'evaluation.robustness', before: [0, 1], after: [0, 0.5, 1] },
      { path: 'optimizer.config.learningRate', before: 0.01, after: 0.1 },
    ]);
  });

  it('accepts safe fields only with --allow-config-change, by full or short name', () => {
    expect(parseAllowedChanges('epochs, evaluation')).toEqual(['training.epochs', 'evaluation']);
    expect(parseAllowedChanges('training.earlyStoppingPatience')).toEqual(['training.earlyStoppingPatience']);
    expect(() => parseAllowedChanges('learningRate')).toThrow(ConfigError);
    expect(resumeSafeFields).toContain('training.epochs');
    const longer = { ...saved, training: { ...saved.training, epochs: 4 }, evaluation: { ...saved.evaluation, examples: 8 } };
    expect(() => checkResumeConfig(saved, longer, [], 'run/config.json')).toThrow(/pass --allow-config-change epochs,evaluation\.$/);
    expect(checkResumeConfig(saved, longer, ['training.epochs', 'evaluation'], 'run/config.json')).toHaveLength(2);
    expect(checkResumeConfig(saved, structuredClone(saved), [], 'run/config.json')).toEqual([]);
  });

  it('refuses changes to the data order, the model or the optimizer, whatever is allowed', () => {
    const changed = { ...saved, training: { ...saved.training, seed: 2 } };
    expect(() => checkResumeConfig(saved, changed, [...resumeSafeFields], 'run/config.json')).toThrow(
      "--resume: the config differs from the run's (run/config.json):\n  training.seed: 1 -> 2\nResuming with these changes would not continue the same training: restore the config (the run's is run/config.json), or train a new run with another --out.",
    );
  });
});
