import { SeededRandom } from '@polyfuse/core';
import type { SplitConfig } from '../config/runConfig.js';

export type SplitName = 'train' | 'validation' | 'test';

/**
 * Assigns each item a split. With `split.field`, the item's value of that
 * field decides (unknown values return `undefined`: a bad sample). Otherwise
 * a seeded shuffle takes round(n * fraction) items for test, then validation;
 * with `stratify`, this happens within each class, so every split keeps the
 * class proportions.
 */
export function assignSplits<T>(
  items: T[],
  split: SplitConfig,
  seed: number,
  fieldValue: (item: T) => unknown,
  stratumOf: (item: T) => string,
): (SplitName | undefined)[] {
  if (split.field !== undefined) {
    return items.map((item) => {
      const value = String(fieldValue(item) ?? '');
      return (['train', 'validation', 'test'] as const).find((name) => split.names[name].includes(value));
    });
  }
  const rng = new SeededRandom(split.seed ?? seed);
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const key = split.stratify !== undefined ? stratumOf(item) : '';
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const out: SplitName[] = new Array(items.length).fill('train');
  for (const key of [...groups.keys()].sort()) {
    const indices = rng.shuffle([...groups.get(key)!]);
    const test = Math.round(indices.length * split.fractions.test);
    const validation = Math.round(indices.length * split.fractions.validation);
    indices.slice(0, test).forEach((i) => (out[i] = 'test'));
    indices.slice(test, test + validation).forEach((i) => (out[i] = 'validation'));
  }
  return out;
}
