import { MetricInputError } from '../../errors.js';
import { pairwiseSum } from '../../util/fsum.js';
import { binaryCurve } from './binaryCurve.js';

/**
 * Average precision of one binary problem: scikit-learn 1.2
 * `_binary_uninterpolated_average_precision`, i.e.
 * `-sum(diff(recall) * precision[:-1])` over `precision_recall_curve`, the
 * step-function integral Σ (Rₙ − Rₙ₋₁)·Pₙ. No positives gives 0 (recall is
 * all ones there, as scikit-learn sets it).
 */
export function binaryAveragePrecision(positive: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { fps, tps, work: terms } = binaryCurve(positive, scores);
  const k = tps.length;
  const totalPos = tps[k - 1];
  // precision and recall in scikit-learn's reversed order, with the final (1, 0) point:
  // terms[i] = (recall[i + 1] − recall[i])·precision[i] for the point j = k − 1 − i.
  // Without positives every term is ±0 (precision is 0 throughout).
  if (totalPos === 0) return 0;
  let recallNext = tps[k - 1] / totalPos;
  for (let i = 0; i < k; i++) {
    const j = k - 1 - i;
    const recallHere = recallNext;
    recallNext = j === 0 ? 0 : tps[j - 1] / totalPos;
    const ps = tps[j] + fps[j];
    terms[i] = (recallNext - recallHere) * (ps === 0 ? 0 : tps[j] / ps);
  }
  return -pairwiseSum(terms) + 0;
}

/**
 * ROC AUC of one binary problem: scikit-learn 1.2 `_binary_roc_auc_score`
 * (`roc_curve` with `drop_intermediate=True`, then the trapezoidal `auc`).
 * Undefined (an error) unless both classes are present.
 */
export function binaryRocAuc(positive: ArrayLike<number>, scores: ArrayLike<number>, argument = 'yTrue'): number {
  const { fps, tps, work: terms } = binaryCurve(positive, scores);
  const k = fps.length;
  const totalF = fps[k - 1];
  const totalT = tps[k - 1];
  if (totalT === 0 || totalF === 0) {
    throw new MetricInputError(argument, 'only one class present; ROC AUC is not defined in that case');
  }
  // roc_curve(drop_intermediate=True) keeps the first and last points and every corner (non-zero
  // second difference); then (0, 0) is prepended and trapezoids summed as np.trapz (at most k terms).
  // First the kept indices, without a branch (whether a point is a corner is as unpredictable as
  // the labels: a branch on it mispredicted about every other point), then their terms in place.
  let m = 0;
  terms[m++] = 0;
  for (let i = 1; i < k - 1; i++) {
    terms[m] = i;
    m += Number(fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0) | Number(tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0);
  }
  if (k > 1) terms[m++] = k - 1;
  let prevX = 0;
  let prevY = 0;
  for (let j = 0; j < m; j++) {
    const i = terms[j];
    const x = fps[i] / totalF;
    const y = tps[i] / totalT;
    terms[j] = ((x - prevX) * (y + prevY)) / 2;
    prevX = x;
    prevY = y;
  }
  return pairwiseSum(terms, 0, m);
}
