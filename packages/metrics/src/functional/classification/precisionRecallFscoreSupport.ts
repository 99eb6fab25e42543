import { MetricInputError } from '../../errors.js';
import { pairwiseSum } from '../../util/fsum.js';
import { assertOneOf, describe } from '../../util/validate.js';
import { labelCounts, type LabelCounts } from './labelCounts.js';
import { checkTargets, type Label } from './targets.js';

export type Average = 'binary' | 'micro' | 'macro' | 'weighted' | 'samples';
export type ZeroDivision = 'warn' | 0 | 1;

export interface PrfOptions {
  /** Weight of recall in the F-score (F-beta). Default 1. */
  beta?: number;
  /** How per-label scores are combined; `null` returns one score per label. Default `'binary'`. */
  average?: Average | null;
  /** Labels to score and their order (column indices for multilabel rows). Default: every present label, sorted. */
  labels?: readonly Label[];
  /** The positive class when `average` is `'binary'`. Default 1. */
  posLabel?: Label;
  /** Value for 0/0 scores: 0 or 1; `'warn'` gives 0 and reports through `onWarning`. Default `'warn'`. */
  zeroDivision?: ZeroDivision;
  /** Receives the "ill-defined" warnings of `zeroDivision: 'warn'`. Default `console.warn`. */
  onWarning?: (message: string) => void;
}

export interface PrfAveraged {
  precision: number;
  recall: number;
  fscore: number;
  /** Always null when averaged, as scikit-learn returns None. */
  support: null;
}

export interface PrfPerLabel {
  precision: number[];
  recall: number[];
  fscore: number[];
  support: number[];
  /** The label each entry belongs to. */
  labels: Label[];
}

const AVERAGES: readonly (Average | null)[] = ['binary', 'micro', 'macro', 'weighted', 'samples', null];

function divide(num: number[], den: number[], zero: number, ill: { any: boolean }): number[] {
  return num.map((n, i) => {
    if (den[i] === 0) {
      ill.any = true;
      return zero;
    }
    return n / den[i];
  });
}

function average(values: number[], weights?: number[]): number {
  if (weights === undefined) return pairwiseSum(values) / values.length;
  return pairwiseSum(values.map((v, i) => v * weights[i])) / pairwiseSum(weights);
}

/** Which of precision / recall / F-score a caller asked for; warnings are only raised for those. */
export type WarnFor = ReadonlySet<'precision' | 'recall' | 'f-score'>;
const WARN_ALL: WarnFor = new Set(['precision', 'recall', 'f-score']);

/**
 * Precision, recall and F-beta from per-label counts, exactly as the second
 * half of scikit-learn 1.2 `precision_recall_fscore_support` (shared with the
 * streaming metrics so both give the same numbers).
 */
export function prfFromCounts(
  counts: LabelCounts,
  average_: Average | null,
  beta: number,
  zeroDivision: ZeroDivision,
  onWarning: ((message: string) => void) | undefined,
  warnFor: WarnFor = WARN_ALL,
): { precision: number | number[]; recall: number | number[]; fscore: number | number[] } {
  let tp = counts.tp;
  let pred = counts.predicted;
  let actual = counts.actual;
  if (average_ === 'micro') {
    tp = [pairwiseSum(tp)];
    pred = [pairwiseSum(pred)];
    actual = [pairwiseSum(actual)];
  }
  const zero = zeroDivision === 1 ? 1 : 0;
  const illP = { any: false };
  const illR = { any: false };
  const precision = divide(tp, pred, zero, illP);
  const recall = divide(tp, actual, zero, illR);
  if (zeroDivision === 'warn') {
    const warn = onWarning ?? ((m: string) => console.warn(m));
    const unit = average_ === 'samples' ? 'samples' : 'labels';
    if (illP.any && warnFor.has('precision')) warn(`Precision is ill-defined and being set to 0.0 in ${unit} with no predicted samples. Use \`zeroDivision\` to control this behavior.`);
    if (illR.any && warnFor.has('recall')) warn(`Recall is ill-defined and being set to 0.0 in ${unit} with no true samples. Use \`zeroDivision\` to control this behavior.`);
    if (warnFor.size === 1 && warnFor.has('f-score') && actual.some((a, i) => a === 0 && pred[i] === 0)) {
      warn(`F-score is ill-defined and being set to 0.0 in ${unit} with no true nor predicted samples. Use \`zeroDivision\` to control this behavior.`);
    }
  }
  const beta2 = beta * beta;
  const fscore =
    beta === Infinity
      ? recall.slice()
      : precision.map((p, i) => {
          let denom = beta2 * p + recall[i];
          if (denom === 0) denom = 1;
          return ((1 + beta2) * p * recall[i]) / denom;
        });
  if (average_ === null) return { precision, recall, fscore };
  let weights: number[] | undefined;
  if (average_ === 'weighted') {
    weights = actual;
    if (pairwiseSum(weights) === 0) {
      const z = zeroDivision === 1 ? 1 : 0;
      if (pairwiseSum(pred) === 0) return { precision: z, recall: z, fscore: z };
      return { precision: 0, recall: z, fscore: 0 };
    }
  }
  return { precision: average(precision, weights), recall: average(recall, weights), fscore: average(fscore, weights) };
}

/** Validates the shared options and resolves the labels to score (scikit-learn's `_check_set_wise_labels`). */
export function resolvePrfOptions(yTrue: readonly unknown[], yPred: readonly unknown[], options: PrfOptions) {
  const beta = options.beta ?? 1;
  const avg = options.average === undefined ? 'binary' : options.average;
  const zeroDivision = options.zeroDivision ?? 'warn';
  const posLabel = options.posLabel ?? 1;
  if (typeof beta !== 'number' || Number.isNaN(beta) || beta < 0) {
    throw new MetricInputError('beta', `expected a number >= 0, got ${describe(beta)}`);
  }
  assertOneOf(avg, AVERAGES, 'average');
  assertOneOf(zeroDivision, ['warn', 0, 1] as const, 'zeroDivision');
  const checked = checkTargets(yTrue, yPred);
  let labels = options.labels;
  if (avg === 'binary') {
    if (checked.type !== 'binary') {
      throw new MetricInputError('average', `targets are ${checked.type} but average is 'binary'; choose 'micro', 'macro', 'weighted'${checked.type === 'multilabel' ? ", 'samples'" : ''} or null`);
    }
    if (!checked.labels.includes(posLabel) && checked.labels.length >= 2) {
      throw new MetricInputError('posLabel', `${describe(posLabel)} is not a valid label; expected one of ${checked.labels.map(describe).join(', ')}`);
    }
    labels = [posLabel];
  }
  return { checked, beta, avg, zeroDivision, labels };
}

/**
 * Precision `tp / (tp + fp)`, recall `tp / (tp + fn)`, F-beta
 * `(1 + β²)·P·R / (β²·P + R)` and support (true count) per label, averaged as
 * scikit-learn 1.2 `precision_recall_fscore_support` does, with its
 * zero-division rules: a 0/0 precision or recall is `zeroDivision` (0 for
 * `'warn'`), an F-score whose denominator is 0 is 0, and `'weighted'` with no
 * true samples at all returns `zeroDivision` where undefined.
 * `average: 'binary'` (the default) scores only `posLabel`.
 */
export function precisionRecallFscoreSupport(yTrue: readonly unknown[], yPred: readonly unknown[], options: PrfOptions & { average: null }): PrfPerLabel;
export function precisionRecallFscoreSupport(yTrue: readonly unknown[], yPred: readonly unknown[], options?: PrfOptions): PrfAveraged;
export function precisionRecallFscoreSupport(
  yTrue: readonly unknown[],
  yPred: readonly unknown[],
  options: PrfOptions = {},
): PrfAveraged | PrfPerLabel {
  return prfWithWarnFor(yTrue, yPred, options, WARN_ALL);
}

/** `precisionRecallFscoreSupport` warning only for the scores in `warnFor` (what the single-score functions ask). */
export function prfWithWarnFor(yTrue: readonly unknown[], yPred: readonly unknown[], options: PrfOptions, warnFor: WarnFor): PrfAveraged | PrfPerLabel {
  const { checked, beta, avg, zeroDivision, labels } = resolvePrfOptions(yTrue, yPred, options);
  const counts = labelCounts(checked, labels, avg === 'samples');
  const scores = prfFromCounts(counts, avg, beta, zeroDivision, options.onWarning, warnFor);
  if (avg === null) {
    const usedLabels: Label[] =
      labels !== undefined ? [...labels] : checked.type === 'multilabel' ? Array.from({ length: checked.nLabels }, (_, i) => i) : checked.labels;
    return {
      precision: scores.precision as number[],
      recall: scores.recall as number[],
      fscore: scores.fscore as number[],
      support: counts.actual,
      labels: usedLabels,
    };
  }
  return { precision: scores.precision as number, recall: scores.recall as number, fscore: scores.fscore as number, support: null };
}
