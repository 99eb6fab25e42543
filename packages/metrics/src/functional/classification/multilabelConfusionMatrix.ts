import { checkTargets, type Label } from './targets.js';
import { labelCounts } from './labelCounts.js';

export interface MultilabelConfusionMatrixOptions {
  /** Labels to report, in this order (column indices for multilabel rows). Default: every present label, sorted. */
  labels?: readonly Label[];
  /** Multilabel only: one matrix per sample instead of per label. */
  samplewise?: boolean;
}

/**
 * One-vs-rest 2×2 matrices `[[tn, fp], [fn, tp]]`, one per label, as
 * scikit-learn 1.2 `multilabel_confusion_matrix`. Works for binary,
 * multiclass and multilabel (0/1 rows) targets.
 */
export function multilabelConfusionMatrix(
  yTrue: readonly unknown[],
  yPred: readonly unknown[],
  options: MultilabelConfusionMatrixOptions = {},
): number[][][] {
  const counts = labelCounts(checkTargets(yTrue, yPred), options.labels, options.samplewise ?? false);
  return counts.tp.map((tp, k) => {
    const fp = counts.predicted[k] - tp;
    const fn = counts.actual[k] - tp;
    return [
      [counts.total[k] - tp - fp - fn, fp],
      [fn, tp],
    ];
  });
}
