import { RegressionMetric } from './regressionMetric.js';
import { r2Score } from './regressionScores.js';

/**
 * Coefficient of determination over the whole split (not a mean of batch
 * scores): scikit-learn 1.2 `r2_score` with `uniform_average` over the K
 * columns and `force_finite=True`; NaN with fewer than two samples.
 */
export class R2Metric extends RegressionMetric {
  readonly higherIsBetter = true;

  protected score(yTrue: Float64Array, yPred: Float64Array, width: number): number {
    return r2Score(yTrue, yPred, width);
  }
}
