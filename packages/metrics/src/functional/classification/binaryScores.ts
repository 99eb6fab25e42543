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
  const { fps, tps } = binaryCurve(positive, scores);
  const k = tps.length;
  const totalPos = tps[k - 1];
  // precision and recall in scikit-learn's reversed order, with the final (1, 0) point.
  const terms = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const j = k - 1 - i;
    const recallHere = totalPos === 0 ? 1 : tps[j] / totalPos;
    const recallNext = j === 0 ? 0 : totalPos === 0 ? 1 : tps[j - 1] / totalPos;
    const ps = tps[j] + fps[j];
    const precision = ps === 0 ? 0 : tps[j] / ps;
    terms[i] = (recallNext - recallHere) * precision;
  }
  return -pairwiseSum(terms) + 0;
}

/**
 * ROC AUC of one binary problem: scikit-learn 1.2 `_binary_roc_auc_score`
 * (`roc_curve` with `drop_intermediate=True`, then the trapezoidal `auc`).
 * Undefined (an error) unless both classes are present.
 */
export function binaryRocAuc(positive: ArrayLike<number>, scores: ArrayLike<number>, argument = 'yTrue'): number {
  const curve = binaryCurve(positive, scores);
  let { fps, tps } = curve;
  const k = fps.length;
  if (tps[k - 1] === 0 || fps[k - 1] === 0) {
    throw new MetricInputError(argument, 'only one class present; ROC AUC is not defined in that case');
  }
  if (k > 2) {
    // Keep the corners of the curve: points where the second difference is non-zero.
    const keepF: number[] = [fps[0]];
    const keepT: number[] = [tps[0]];
    for (let i = 1; i < k - 1; i++) {
      if (fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0) {
        keepF.push(fps[i]);
        keepT.push(tps[i]);
      }
    }
    keepF.push(fps[k - 1]);
    keepT.push(tps[k - 1]);
    fps = Float64Array.from(keepF);
    tps = Float64Array.from(keepT);
  }
  const m = fps.length;
  const totalF = fps[m - 1];
  const totalT = tps[m - 1];
  const terms = new Float64Array(m);
  let prevX = 0;
  let prevY = 0;
  for (let i = 0; i < m; i++) {
    const x = fps[i] / totalF;
    const y = tps[i] / totalT;
    terms[i] = ((x - prevX) * (y + prevY)) / 2;
    prevX = x;
    prevY = y;
  }
  return pairwiseSum(terms);
}
