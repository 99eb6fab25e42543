import { RegressionMetric } from './regressionMetric.js';
import { rootMeanSquaredError } from './regressionScores.js';

/**
 * Root mean squared error over the split, in the target's units:
 * scikit-learn 1.2 `mean_squared_error(squared=False)`, i.e. each column's
 * RMSE, then their mean for K > 1.
 */
export class RmseMetric extends RegressionMetric {
  readonly higherIsBetter = false;

  protected score(yTrue: Float64Array, yPred: Float64Array, width: number): number {
    return rootMeanSquaredError(yTrue, yPred, width);
  }
}
