import { MetricInputError } from '../../errors.js';
import { describe } from '../../util/validate.js';
import { checkLabelArray, checkTargets, type Label } from './targets.js';

export interface ConfusionMatrixOptions {
  /** Labels indexing the rows and columns, in this order. Default: every present label, sorted. Samples whose true or predicted label is not listed are left out. */
  labels?: readonly Label[];
}

/**
 * Counts `C[i][j]` of samples with true label `labels[i]` predicted as
 * `labels[j]` (rows true, columns predicted), as scikit-learn 1.2
 * `confusion_matrix`. Multilabel input is rejected, as there.
 */
export function confusionMatrix(yTrue: readonly unknown[], yPred: readonly unknown[], options: ConfusionMatrixOptions = {}): number[][] {
  const checked = checkTargets(yTrue, yPred);
  if (checked.type === 'multilabel') {
    throw new MetricInputError('yTrue', 'confusionMatrix takes single-label targets; use multilabelConfusionMatrix for 0/1 rows');
  }
  let labels: Label[] = checked.labels;
  if (options.labels !== undefined) {
    if (options.labels.length === 0) throw new MetricInputError('labels', 'expected at least one label, got an empty array');
    checkLabelArray(options.labels, 'labels');
    labels = [...options.labels];
    const inTrue = new Set<Label>(checked.yTrue);
    if (!labels.some((l) => inTrue.has(l))) {
      throw new MetricInputError('labels', `at least one label must occur in yTrue; got ${labels.map(describe).join(', ')}`);
    }
  }
  const index = new Map<Label, number>();
  labels.forEach((l, i) => {
    if (index.has(l)) throw new MetricInputError('labels', `label ${describe(l)} is listed twice`);
    index.set(l, i);
  });
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let s = 0; s < checked.yTrue.length; s++) {
    const i = index.get(checked.yTrue[s]);
    const j = index.get(checked.yPred[s]);
    if (i !== undefined && j !== undefined) matrix[i][j]++;
  }
  return matrix;
}
