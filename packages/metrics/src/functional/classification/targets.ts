import { MetricInputError } from '../../errors.js';
import { assertNonEmptyArray, assertSameLength, describe } from '../../util/validate.js';

/** A class label: an integer or a string, as scikit-learn accepts. */
export type Label = number | string;

/** One row per sample, one 0/1 column per label (scikit-learn's multilabel-indicator). */
export type MultilabelIndicator = readonly (readonly number[])[];

/** Targets as scikit-learn's `type_of_target` classifies them. */
export type CheckedTargets =
  | { type: 'binary' | 'multiclass'; yTrue: readonly Label[]; yPred: readonly Label[]; labels: Label[] }
  | { type: 'multilabel'; yTrue: MultilabelIndicator; yPred: MultilabelIndicator; nLabels: number };

/** Sort labels the way `np.unique` does: numerically, or by code point for strings. */
export function sortLabels<T extends Label>(labels: T[]): T[] {
  return labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Sorted distinct labels of any number of label arrays (scikit-learn's `unique_labels`). */
export function uniqueLabels(...arrays: (readonly Label[])[]): Label[] {
  const seen = new Set<Label>();
  for (const array of arrays) addDistinct(seen, array);
  return sortLabels([...seen]);
}

function addDistinct(seen: Set<Label>, array: readonly Label[]): void {
  // Integer labels 0–31 go to a bit mask: no branch depends on which label it is (random
  // labels would mispredict), and no set lookup per element.
  let small = 0;
  for (let i = 0; i < array.length; i++) {
    const label = array[i];
    if (typeof label === 'number' && label >= 0 && label < 32 && Number.isInteger(label)) small |= 1 << label;
    else seen.add(label);
  }
  for (let label = 0; label < 32; label++) if ((small >>> label) & 1) seen.add(label);
}

function isMultilabel(value: readonly unknown[]): boolean {
  return Array.isArray(value[0]);
}

/** Checks a 1-D label array: integers or strings, not both. Returns its label kind. */
export function checkLabelArray(values: readonly unknown[], argument: string): 'number' | 'string' {
  let kind: 'number' | 'string' | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let k: 'number' | 'string';
    if (typeof v === 'string') k = 'string';
    else if (typeof v === 'number' && Number.isInteger(v)) k = 'number';
    else if (typeof v === 'boolean') {
      throw new MetricInputError(`${argument}[${i}]`, 'expected an integer or string label, got a boolean (use 0/1)');
    } else {
      throw new MetricInputError(`${argument}[${i}]`, `expected an integer or string label, got ${describe(v)}`);
    }
    if (kind === undefined) kind = k;
    else if (kind !== k) {
      throw new MetricInputError(`${argument}[${i}]`, `labels must all be numbers or all be strings; got a ${k} after ${kind}s`);
    }
  }
  return kind ?? 'number';
}

/** Checks a multilabel indicator matrix: rectangular, 0/1 entries. Returns its column count. */
export function checkIndicator(values: readonly unknown[], argument: string): number {
  const width = (values[0] as unknown[]).length;
  if (width === 0) throw new MetricInputError(`${argument}[0]`, 'expected at least one label column, got an empty row');
  for (let i = 0; i < values.length; i++) {
    const row = values[i];
    if (!Array.isArray(row)) throw new MetricInputError(`${argument}[${i}]`, `expected a 0/1 array (multilabel row), got ${describe(row)}`);
    if (row.length !== width) throw new MetricInputError(`${argument}[${i}]`, `expected ${width} columns like row 0, got ${row.length}`);
    for (let j = 0; j < width; j++) {
      if (row[j] !== 0 && row[j] !== 1) {
        throw new MetricInputError(`${argument}[${i}][${j}]`, `expected 0 or 1 in a multilabel indicator, got ${describe(row[j])}`);
      }
    }
  }
  return width;
}

/**
 * scikit-learn 1.2 `_check_targets`: both arrays the same length and the same
 * task. 1-D label arrays with at most two distinct labels (over both) are
 * binary, otherwise multiclass; arrays of 0/1 rows are multilabel.
 */
export function checkTargets(yTrue: unknown, yPred: unknown): CheckedTargets {
  assertNonEmptyArray(yTrue, 'yTrue');
  assertNonEmptyArray(yPred, 'yPred');
  const t = yTrue as readonly unknown[];
  const p = yPred as readonly unknown[];
  assertSameLength(t, 'yTrue', p, 'yPred');
  const mlTrue = isMultilabel(t);
  const mlPred = isMultilabel(p);
  if (mlTrue !== mlPred) {
    throw new MetricInputError('yPred', `cannot mix multilabel and single-label targets (yTrue is ${mlTrue ? 'multilabel' : 'single-label'})`);
  }
  if (mlTrue) {
    const w = checkIndicator(t, 'yTrue');
    const wp = checkIndicator(p, 'yPred');
    if (w !== wp) throw new MetricInputError('yPred', `expected ${w} label columns like yTrue, got ${wp}`);
    return { type: 'multilabel', yTrue: t as MultilabelIndicator, yPred: p as MultilabelIndicator, nLabels: w };
  }
  const kt = checkLabelArray(t, 'yTrue');
  const kp = checkLabelArray(p, 'yPred');
  if (kt !== kp) throw new MetricInputError('yPred', `labels must have the same type as yTrue (${kt}s), got ${kp}s`);
  const labels = uniqueLabels(t as Label[], p as Label[]);
  return { type: labels.length <= 2 ? 'binary' : 'multiclass', yTrue: t as Label[], yPred: p as Label[], labels };
}
