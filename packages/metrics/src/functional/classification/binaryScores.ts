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
  // Without positives every term is ±0 (precision is 0 throughout).
  if (tps[tps.length - 1] === 0) return 0;
  precisionRecallTerms(fps, tps, terms);
  return -pairwiseSum(terms) + 0;
}

// The loops over the curve are functions of their own, with nothing after them: V8 compiles a
// long loop while it runs (on-stack replacement), before the call that follows it has run, and
// that code then left the function at the call on every later call too (24 times in one
// benchmark run; the multilabel terms took 5 ms per call, now 0.3).

/**
 * precision and recall in scikit-learn's reversed order, with the final (1, 0) point:
 * terms[i] = (recall[i + 1] − recall[i])·precision[i] for the point j = k − 1 − i.
 */
function precisionRecallTerms(fps: Float64Array, tps: Float64Array, terms: Float64Array): void {
  const k = tps.length;
  const totalPos = tps[k - 1];
  let recallNext = tps[k - 1] / totalPos;
  for (let i = 0; i < k; i++) {
    const j = k - 1 - i;
    const recallHere = recallNext;
    recallNext = j === 0 ? 0 : tps[j - 1] / totalPos;
    const ps = tps[j] + fps[j];
    terms[i] = (recallNext - recallHere) * (ps === 0 ? 0 : tps[j] / ps);
  }
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
  return pairwiseSum(terms, 0, trapezoids(fps, tps, terms));
}

/**
 * roc_curve(drop_intermediate=True) keeps the first and last points and every corner (non-zero
 * second difference); then (0, 0) is prepended and trapezoids are summed as np.trapz: writes
 * them to `terms` (at most k) and returns how many. First the kept indices, without a branch
 * (whether a point is a corner is as unpredictable as the labels: a branch on it mispredicted
 * about every other point), then their terms in place.
 */
function trapezoids(fps: Float64Array, tps: Float64Array, terms: Float64Array): number {
  const k = fps.length;
  const totalF = fps[k - 1];
  const totalT = tps[k - 1];
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
  return m;
}
