/**
 * Regression scores on row-major `[n, width]` values, as scikit-learn 1.2
 * computes them with `multioutput='uniform_average'`: the score of each
 * column, then their plain mean. Sums are in float64.
 */

/** Per column: Σ over rows of `term(yTrue, yPred)`. */
function columnSums(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, width: number, term: (t: number, p: number) => number): Float64Array {
  const sums = new Float64Array(width);
  for (let i = 0; i < yTrue.length; i++) sums[i % width] += term(yTrue[i], yPred[i]);
  return sums;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** sklearn `mean_absolute_error`: mean over columns of the mean |y − ŷ|. */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, width = 1): number {
  const rows = yTrue.length / width;
  return mean(columnSums(yTrue, yPred, width, (t, p) => Math.abs(t - p)).map((s) => s / rows));
}

/**
 * sklearn 1.2 `mean_squared_error(squared=False)`: the square root of each
 * column's mean squared error, then the mean over columns (not the root of
 * the overall mean).
 */
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, width = 1): number {
  const rows = yTrue.length / width;
  return mean(columnSums(yTrue, yPred, width, (t, p) => (t - p) ** 2).map((s) => Math.sqrt(s / rows)));
}

/**
 * sklearn 1.2 `r2_score` (`force_finite=True`): per column
 * 1 − Σ(y − ŷ)² / Σ(y − ȳ)²; a constant column scores 1 when predicted
 * exactly and 0 otherwise; then the mean over columns. Fewer than two rows
 * give NaN, as sklearn does (with a warning there).
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, width = 1): number {
  const rows = yTrue.length / width;
  if (rows < 2) return Number.NaN;
  const means = columnSums(yTrue, yPred, width, (t) => t).map((s) => s / rows);
  const residual = columnSums(yTrue, yPred, width, (t, p) => (t - p) ** 2);
  const total = new Float64Array(width);
  for (let i = 0; i < yTrue.length; i++) total[i % width] += (yTrue[i] - means[i % width]) ** 2;
  const scores = Array.from(total, (tot, c) => (tot !== 0 ? 1 - residual[c] / tot : residual[c] !== 0 ? 0 : 1));
  return mean(scores);
}
