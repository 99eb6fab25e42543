import { describe, expect, it } from 'vitest';
import { ConfigError } from '@polyfuse/core';
import { expandOverrides } from './expandOverrides.js';
import { runIds } from './runIds.js';

describe('expandOverrides: grid × runs × folds', () => {
  it('takes the grid in key order, the last key fastest, then appends the runs', () => {
    const sets = expandOverrides({
      grid: { 'model.fusion.name': ['concat', 'gated'], 'training.seed': [1, 2] },
      runs: [{ 'model.fusion.name': 'early', 'model.encoders.image.name': 'flatten' }],
    });
    expect(sets).toEqual([
      { 'model.fusion.name': 'concat', 'training.seed': 1 },
      { 'model.fusion.name': 'concat', 'training.seed': 2 },
      { 'model.fusion.name': 'gated', 'training.seed': 1 },
      { 'model.fusion.name': 'gated', 'training.seed': 2 },
      { 'model.fusion.name': 'early', 'model.encoders.image.name': 'flatten' },
    ]);
    expect(runIds(sets)).toEqual([
      '0000-fusion=concat-seed=1',
      '0001-fusion=concat-seed=2',
      '0002-fusion=gated-seed=1',
      '0003-fusion=gated-seed=2',
      '0004-fusion=early-image=flatten',
    ]);
  });

  it('multiplies every set by the folds, the fold varying fastest', () => {
    const sets = expandOverrides({ grid: { 'training.seed': [7, 8] }, folds: 3 });
    expect(sets.map((s) => [s['training.seed'], s['data.split.fold'], s['data.split.folds']])).toEqual([
      [7, 0, 3], [7, 1, 3], [7, 2, 3],
      [8, 0, 3], [8, 1, 3], [8, 2, 3],
    ]);
    expect(runIds(sets)[4]).toBe('0004-seed=8-fold=1');
    // folds alone: the base config once per fold.
    expect(runIds(expandOverrides({ folds: 2 }))).toEqual(['0000-fold=0', '0001-fold=1']);
  });

  it('gives the same ids for the same sweep, and labels objects, lists and clashing paths readably', () => {
    const input = { grid: { 'model.fusion': [{ name: 'gated', config: { units: 8 } }, { name: 'concat' }], 'model.head.config.hiddenUnits': [[16, 8], [4]] } };
    expect(runIds(expandOverrides(input))).toEqual(runIds(expandOverrides(structuredClone(input))));
    expect(runIds(expandOverrides(input))).toEqual(['0000-fusion=gated-hiddenUnits=16+8', '0001-fusion=gated-hiddenUnits=4', '0002-fusion=concat-hiddenUnits=16+8', '0003-fusion=concat-hiddenUnits=4']);
    // Two paths ending in the same name keep their whole path; characters a folder name should not hold become _.
    expect(runIds([{ 'model.encoders.a.name': 'x', 'model.encoders.b.config.a': 'p/q' }, { 'model.encoders.a.name': 'y', 'model.encoders.b.config.a': 'r s' }])).toEqual([
      '0000-model.encoders.a.name=x-model.encoders.b.config.a=p_q',
      '0001-model.encoders.a.name=y-model.encoders.b.config.a=r_s',
    ]);
  });

  it('puts the shared set into every run, a run\'s own value winning', () => {
    const sets = expandOverrides({ set: { 'training.epochs': 2, 'data.manifest': 'small.jsonl' }, grid: { 'training.seed': [1, 2] }, runs: [{ 'training.epochs': 5 }] });
    expect(sets).toEqual([
      { 'training.epochs': 2, 'data.manifest': 'small.jsonl', 'training.seed': 1 },
      { 'training.epochs': 2, 'data.manifest': 'small.jsonl', 'training.seed': 2 },
      { 'training.epochs': 5, 'data.manifest': 'small.jsonl' },
    ]);
    expect(runIds(sets)).toEqual(['0000-epochs=2-seed=1', '0001-epochs=2-seed=2', '0002-epochs=5']);
  });

  it('refuses an empty grid, an empty value list and a sweep without runs', () => {
    expect(() => expandOverrides({ grid: {} })).toThrow(/sweep.grid is empty/);
    expect(() => expandOverrides({ grid: { 'training.seed': [] } })).toThrow(/sweep.grid.training.seed must be a non-empty list/);
    expect(() => expandOverrides({})).toThrow(ConfigError);
    expect(() => expandOverrides({ runs: [{ 'data.split.fold': 1 }], folds: 2 })).toThrow(/sets data.split.fold/);
  });
});
