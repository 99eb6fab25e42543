import { InputError } from '@polyfuse/core';

/** A class label: what the training labels were (digits, words). */
export type Label = string | number;

/**
 * Groups items by label and returns the labels sorted (numbers numerically,
 * then strings), so that class order, and with it every seed derived from
 * it, does not depend on the order of the training data.
 */
export function groupByLabel<T>(items: readonly T[], labels: readonly Label[], what = 'sequences'): { classes: Label[]; groups: T[][] } {
  if (items.length !== labels.length) throw new InputError(`${items.length} ${what} but ${labels.length} labels; they need one label each.`);
  if (items.length === 0) throw new InputError(`no training ${what}.`);
  const byLabel = new Map<Label, T[]>();
  items.forEach((item, i) => {
    const label = labels[i]!;
    if (typeof label !== 'string' && !(typeof label === 'number' && Number.isFinite(label))) {
      throw new InputError(`label ${i} must be a string or a finite number, got ${JSON.stringify(label)}.`);
    }
    if (!byLabel.has(label)) byLabel.set(label, []);
    byLabel.get(label)!.push(item);
  });
  const classes = [...byLabel.keys()].sort(compareLabels);
  return { classes, groups: classes.map((c) => byLabel.get(c)!) };
}

export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Index of the largest value (the first on ties). */
export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
