import { describe, expect, it } from 'vitest';
import { assignSplits } from '../index.js';

const names = { train: ['train'], validation: ['val', 'validation'], test: ['test'] };

describe('assignSplits', () => {
  const items = Array.from({ length: 100 }, (_, i) => ({ label: i < 80 ? 'common' : 'rare', split: ['train', 'val', 'test', 'holdout'][i % 4] }));

  it('draws seeded random fractions that keep class proportions when stratified', () => {
    const split = { names, fractions: { validation: 0.1, test: 0.2 }, stratify: 'label' };
    const a = assignSplits(items, split, 1, () => undefined, (item) => item.label);
    expect(assignSplits(items, split, 1, () => undefined, (item) => item.label)).toEqual(a);
    expect(assignSplits(items, split, 2, () => undefined, (item) => item.label)).not.toEqual(a);
    const count = (label: string, name: string) => items.filter((item, i) => item.label === label && a[i] === name).length;
    expect([count('common', 'train'), count('common', 'validation'), count('common', 'test')]).toEqual([56, 8, 16]);
    expect([count('rare', 'train'), count('rare', 'validation'), count('rare', 'test')]).toEqual([14, 2, 4]);
  });

  it('reads the split from a field, leaving unknown values undefined (bad samples)', () => {
    const a = assignSplits(items.slice(0, 4), { field: 'split', names, fractions: { validation: 0, test: 0 } }, 0, (item) => item.split, () => '');
    expect(a).toEqual(['train', 'validation', 'test', undefined]);
  });
});
