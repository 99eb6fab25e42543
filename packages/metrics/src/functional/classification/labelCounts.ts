import { MetricInputError } from '../../errors.js';
import { describe } from '../../util/validate.js';
import { checkLabelArray, type CheckedTargets, type Label } from './targets.js';

/** Per-label true positives, predicted positives and actual positives, plus the sample count per row. */
export interface LabelCounts {
  tp: number[];
  predicted: number[];
  actual: number[];
  /** Number of (sample, label) decisions behind each entry: samples, or labels when samplewise. */
  total: number[];
}

/**
 * The counting core of scikit-learn 1.2 `multilabel_confusion_matrix`:
 * one-vs-rest counts for each label in `labels` (given order; labels absent
 * from the data count zero), or for every present label in sorted order. For
 * multilabel rows, `labels` are column indices and `samplewise` counts per
 * sample over the selected columns instead.
 */
export function labelCounts(checked: CheckedTargets, labels: readonly Label[] | undefined, samplewise: boolean): LabelCounts {
  if (checked.type === 'multilabel') {
    let columns: number[];
    if (labels === undefined) columns = Array.from({ length: checked.nLabels }, (_, i) => i);
    else {
      columns = labels.map((l, i) => {
        if (typeof l !== 'number' || !Number.isInteger(l) || l < 0 || l >= checked.nLabels) {
          throw new MetricInputError(`labels[${i}]`, `expected a column index in [0, ${checked.nLabels}) for multilabel targets, got ${describe(l)}`);
        }
        return l;
      });
    }
    const n = checked.yTrue.length;
    const size = samplewise ? n : columns.length;
    const tp = new Array<number>(size).fill(0);
    const predicted = new Array<number>(size).fill(0);
    const actual = new Array<number>(size).fill(0);
    for (let i = 0; i < n; i++) {
      const t = checked.yTrue[i];
      const p = checked.yPred[i];
      for (let c = 0; c < columns.length; c++) {
        const k = samplewise ? i : c;
        const tv = t[columns[c]];
        const pv = p[columns[c]];
        tp[k] += tv & pv;
        predicted[k] += pv;
        actual[k] += tv;
      }
    }
    return { tp, predicted, actual, total: new Array<number>(size).fill(samplewise ? columns.length : n) };
  }
  if (samplewise) {
    throw new MetricInputError('average', "'samples' averaging is only defined for multilabel targets");
  }
  let selected: Label[];
  if (labels === undefined) selected = checked.labels;
  else {
    if (labels.length === 0) throw new MetricInputError('labels', 'expected at least one label, got an empty array');
    const kind = checkLabelArray(labels, 'labels');
    if (kind !== typeof checked.yTrue[0]) {
      throw new MetricInputError('labels', `expected ${typeof checked.yTrue[0]} labels like yTrue, got ${kind}s`);
    }
    selected = [...labels];
  }
  const index = new Map<Label, number>();
  selected.forEach((l, i) => {
    if (index.has(l)) throw new MetricInputError('labels', `label ${describe(l)} is listed twice`);
    index.set(l, i);
  });
  const size = selected.length;
  const tp = new Array<number>(size).fill(0);
  const predicted = new Array<number>(size).fill(0);
  const actual = new Array<number>(size).fill(0);
  for (let i = 0; i < checked.yTrue.length; i++) {
    const ti = index.get(checked.yTrue[i]);
    const pi = index.get(checked.yPred[i]);
    if (ti !== undefined) actual[ti]++;
    if (pi !== undefined) predicted[pi]++;
    if (ti !== undefined && ti === pi) tp[ti]++;
  }
  return { tp, predicted, actual, total: new Array<number>(size).fill(checked.yTrue.length) };
}
