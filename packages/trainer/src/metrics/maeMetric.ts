import { RegressionMetric } from './regressionMetric.js';
import { meanAbsoluteError } from './regressionScores.js';

/**
 * Mean absolute error over the split, in the target's units: scikit-learn 1.2
 * `mean_absolute_error` (`uniform_average` over the K columns).
 */
export class MaeMetric extends RegressionMetric {
  readonly higherIsBetter = false;

  protected score(yTrue: Float64Array, yPred: Float64Array, width: number): number {
    return meanAbsoluteError(yTrue, yPred, width);
  }
}
