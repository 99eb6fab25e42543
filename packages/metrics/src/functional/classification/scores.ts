import { prfWithWarnFor, type PrfOptions } from './precisionRecallFscoreSupport.js';

type Result<O> = O extends { average: null } ? number[] : number;

/** Precision `tp / (tp + fp)` as scikit-learn 1.2 `precision_score`; options as `precisionRecallFscoreSupport`. */
export function precisionScore<O extends PrfOptions>(yTrue: readonly unknown[], yPred: readonly unknown[], options?: O): Result<O> {
  return prfWithWarnFor(yTrue, yPred, options ?? {}, new Set(['precision'])).precision as Result<O>;
}

/** Recall `tp / (tp + fn)` as scikit-learn 1.2 `recall_score`; options as `precisionRecallFscoreSupport`. */
export function recallScore<O extends PrfOptions>(yTrue: readonly unknown[], yPred: readonly unknown[], options?: O): Result<O> {
  return prfWithWarnFor(yTrue, yPred, options ?? {}, new Set(['recall'])).recall as Result<O>;
}

/** F-beta `(1 + β²)·P·R / (β²·P + R)` as scikit-learn 1.2 `fbeta_score`; `beta` is required there and here. */
export function fbetaScore<O extends PrfOptions & { beta: number }>(yTrue: readonly unknown[], yPred: readonly unknown[], options: O): Result<O> {
  return prfWithWarnFor(yTrue, yPred, options, new Set(['f-score'])).fscore as Result<O>;
}

/** F1, the harmonic mean of precision and recall, as scikit-learn 1.2 `f1_score` (F-beta with β = 1). */
export function f1Score<O extends Omit<PrfOptions, 'beta'>>(yTrue: readonly unknown[], yPred: readonly unknown[], options?: O): Result<O> {
  return prfWithWarnFor(yTrue, yPred, { ...(options ?? {}), beta: 1 }, new Set(['f-score'])).fscore as Result<O>;
}
