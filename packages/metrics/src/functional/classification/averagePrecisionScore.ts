import { MetricInputError } from '../../errors.js';
import { assertOneOf, describe } from '../../util/validate.js';
import { binaryAveragePrecision } from './binaryScores.js';
import { averageOverColumns, checkScores, positiveMask, type Scores } from './scoreTargets.js';
import type { Label } from './targets.js';

export interface AveragePrecisionOptions {
  /** For multilabel score matrices: how per-label scores combine (`null`: one per label). Default `'macro'`. */
  average?: 'micro' | 'macro' | 'weighted' | 'samples' | null;
  /** The positive class of binary `yTrue`. Default 1 (fixed to 1 for multilabel). */
  posLabel?: Label;
}

/**
 * Average precision, as scikit-learn 1.2 `average_precision_score`:
 * AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the precision-recall curve with one point per
 * distinct score (tied scores form one step; no interpolation). Binary
 * `yTrue` with a score per sample, or multilabel 0/1 rows with a score row
 * per sample. A problem without positives scores 0 as in scikit-learn 1.2.
 */
export function averagePrecisionScore<O extends AveragePrecisionOptions>(
  yTrue: readonly unknown[],
  yScore: Scores,
  options?: O,
): O extends { average: null } ? number | number[] : number;
export function averagePrecisionScore(yTrue: readonly unknown[], yScore: Scores, options: AveragePrecisionOptions = {}): number | number[] {
  const average = options.average === undefined ? 'macro' : options.average;
  assertOneOf(average, ['micro', 'macro', 'weighted', 'samples', null] as const, 'average');
  const posLabel = options.posLabel ?? 1;
  const checked = checkScores(yTrue, yScore);
  if (checked.type === 'multilabel') {
    if (posLabel !== 1) throw new MetricInputError('posLabel', `is fixed to 1 for multilabel yTrue, got ${describe(posLabel)}`);
    return averageOverColumns(checked.yTrue, checked.matrix, average, binaryAveragePrecision, checked.columns);
  }
  if (checked.type !== 'binary') {
    throw new MetricInputError('yTrue', `has ${checked.labels.length} classes; averagePrecisionScore takes binary labels or multilabel 0/1 rows (one-hot encode multiclass targets)`);
  }
  if (checked.labels.length === 2 && !checked.labels.includes(posLabel)) {
    throw new MetricInputError('posLabel', `${describe(posLabel)} is not a valid label; expected one of ${checked.labels.map(describe).join(', ')}`);
  }
  return binaryAveragePrecision(positiveMask(checked.yTrue, checked.labels, posLabel), checked.scores);
}
