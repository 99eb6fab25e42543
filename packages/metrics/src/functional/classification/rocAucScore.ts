import { MetricInputError } from '../../errors.js';
import { pairwiseSum } from '../../util/fsum.js';
import { assertOneOf } from '../../util/validate.js';
import { binaryRocAuc } from './binaryScores.js';
import { averageOverColumns, checkScores, columns, positiveMask, type Scores } from './scoreTargets.js';

export interface RocAucOptions {
  /** How per-label (or per-class) AUCs combine; `null` returns them all. Default `'macro'`. */
  average?: 'micro' | 'macro' | 'weighted' | 'samples' | null;
  /** Multiclass labels with a probability row per sample: one-vs-rest or one-vs-one. Default `'raise'`. */
  multiClass?: 'raise' | 'ovr' | 'ovo';
}

/**
 * Area under the ROC curve, as scikit-learn 1.2 `roc_auc_score`: trapezoids
 * over the (FPR, TPR) points of each distinct score (ties grouped). Binary
 * labels with one score per sample (the larger label is positive);
 * multilabel 0/1 rows with score rows (averaged per `average`); or
 * multiclass labels with probability rows summing to 1 and
 * `multiClass: 'ovr'` (each class against the rest) or `'ovo'` (Hand & Till:
 * mean over class pairs, `weighted` by pair prevalence).
 */
export function rocAucScore<O extends RocAucOptions>(
  yTrue: readonly unknown[],
  yScore: Scores,
  options?: O,
): O extends { average: null } ? number | number[] : number;
export function rocAucScore(yTrue: readonly unknown[], yScore: Scores, options: RocAucOptions = {}): number | number[] {
  const average = options.average === undefined ? 'macro' : options.average;
  const multiClass = options.multiClass ?? 'raise';
  assertOneOf(average, ['micro', 'macro', 'weighted', 'samples', null] as const, 'average');
  assertOneOf(multiClass, ['raise', 'ovr', 'ovo'] as const, 'multiClass');
  const checked = checkScores(yTrue, yScore);
  if (checked.type === 'multilabel') return averageOverColumns(checked.yTrue, checked.matrix, average, binaryRocAuc, checked.columns);
  if (checked.type === 'binary') {
    const positiveLabel = checked.labels[checked.labels.length - 1];
    if (checked.labels.length < 2) throw new MetricInputError('yTrue', 'only one class present; ROC AUC is not defined in that case');
    return binaryRocAuc(positiveMask(checked.yTrue, checked.labels, positiveLabel), checked.scores);
  }
  if (checked.type !== 'multiclass-matrix') {
    throw new MetricInputError('yScore', `yTrue has ${checked.labels.length} classes: pass one probability row per sample and multiClass 'ovr' or 'ovo'`);
  }
  if (multiClass === 'raise') throw new MetricInputError('multiClass', "multiclass targets need multiClass 'ovr' or 'ovo'");
  const { yTrue: labels, labels: classes, matrix } = checked;
  if (classes.length !== matrix[0].length) {
    throw new MetricInputError('yScore', `expected ${classes.length} columns (the classes in yTrue), got ${matrix[0].length}`);
  }
  matrix.forEach((row, i) => {
    const sum = row.reduce((a, b) => a + b, 0);
    if (!(Math.abs(1 - sum) <= 1e-8 + 1e-5 * Math.abs(sum))) {
      throw new MetricInputError(`yScore[${i}]`, `expected probabilities summing to 1 for multiclass ROC AUC, got a sum of ${sum}`);
    }
  });
  if (multiClass === 'ovr') {
    if (average === 'samples') throw new MetricInputError('average', "expected 'micro', 'macro', 'weighted' or null for multiclass 'ovr'");
    const onehot = labels.map((l) => classes.map((c) => (c === l ? 1 : 0)));
    return averageOverColumns(onehot, matrix, average, binaryRocAuc);
  }
  if (average !== 'macro' && average !== 'weighted') throw new MetricInputError('average', "expected 'macro' or 'weighted' for multiclass 'ovo'");
  const pairScores: number[] = [];
  const prevalence: number[] = [];
  const scoreColumns = columns(matrix, classes.length);
  for (let a = 0; a < classes.length; a++) {
    for (let b = a + 1; b < classes.length; b++) {
      const rows: number[] = [];
      labels.forEach((l, i) => {
        if (l === classes[a] || l === classes[b]) rows.push(i);
      });
      prevalence.push(rows.length / labels.length);
      const isA = rows.map((i) => (labels[i] === classes[a] ? 1 : 0));
      const isB = rows.map((i) => (labels[i] === classes[b] ? 1 : 0));
      const colA = scoreColumns[a];
      const colB = scoreColumns[b];
      const scoreA = binaryRocAuc(isA, rows.map((i) => colA[i]));
      const scoreB = binaryRocAuc(isB, rows.map((i) => colB[i]));
      pairScores.push((scoreA + scoreB) / 2);
    }
  }
  if (average === 'weighted') return pairwiseSum(pairScores.map((s, i) => s * prevalence[i])) / pairwiseSum(prevalence);
  return pairwiseSum(pairScores) / pairScores.length;
}
