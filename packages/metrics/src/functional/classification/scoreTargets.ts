import { MetricInputError } from '../../errors.js';
import { pairwiseSum } from '../../util/fsum.js';
import { assertFiniteNumbers, assertNonEmptyArray, assertSameLength, describe } from '../../util/validate.js';
import { checkLabelArray, uniqueLabels, type Label } from './targets.js';

/** Score input: one score per sample, or one row of scores per sample. */
export type Scores = ArrayLike<number> | readonly (readonly number[])[];

/** Targets and scores checked for the ranking metrics. */
export type CheckedScores =
  | { type: 'binary' | 'multiclass'; yTrue: readonly Label[]; labels: Label[]; scores: ArrayLike<number> }
  | { type: 'multiclass-matrix'; yTrue: readonly Label[]; labels: Label[]; matrix: readonly (readonly number[])[] }
  | { type: 'multilabel'; yTrue: readonly (readonly number[])[]; matrix: readonly (readonly number[])[]; columns: LabelColumns };

/** A multilabel problem by column: 0/1 targets and scores of each label. */
export interface LabelColumns {
  positive: Uint8Array[];
  scores: Float64Array[];
}

function checkMatrix(yScore: readonly unknown[], width: number): readonly (readonly number[])[] {
  for (let i = 0; i < yScore.length; i++) {
    const row = yScore[i];
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) throw new MetricInputError(`yScore[${i}]`, `expected a row of ${width} scores, got ${describe(row)}`);
    const r = row as ArrayLike<unknown>;
    if (r.length !== width) throw new MetricInputError(`yScore[${i}]`, `expected ${width} scores, got ${r.length}`);
    assertFiniteNumbers(r, `yScore[${i}]`);
  }
  return yScore as readonly (readonly number[])[];
}

/** Checks `yTrue` (labels or 0/1 rows) against `yScore` (scores or score rows); rejects NaN and mismatched shapes. */
export function checkScores(yTrue: unknown, yScore: unknown): CheckedScores {
  assertNonEmptyArray(yTrue, 'yTrue');
  assertNonEmptyArray(yScore, 'yScore');
  const t = yTrue as readonly unknown[];
  const s = yScore as ArrayLike<unknown>;
  assertSameLength(t, 'yTrue', s, 'yScore');
  const scoreMatrix = Array.isArray(s[0]) || ArrayBuffer.isView(s[0]);
  if (Array.isArray(t[0])) {
    const width = (t[0] as unknown[]).length;
    if (!scoreMatrix) throw new MetricInputError('yScore', `expected one row of ${width} scores per sample for multilabel yTrue`);
    return { type: 'multilabel', yTrue: t as number[][], matrix: s as number[][], columns: checkLabelColumns(t, s as unknown[]) };
  }
  checkLabelArray(t, 'yTrue');
  const labels = uniqueLabels(t as Label[]);
  if (scoreMatrix) {
    const width = (s[0] as ArrayLike<unknown>).length;
    return { type: 'multiclass-matrix', yTrue: t as Label[], labels, matrix: checkMatrix(s as unknown[], width) };
  }
  assertFiniteNumbers(s, 'yScore');
  return { type: labels.length <= 2 ? 'binary' : 'multiclass', yTrue: t as Label[], labels, scores: s };
}

/** 1 where `yTrue` is `posLabel`, else 0: `yTrue` itself when its labels are 0/1 and `posLabel` is 1. */
export function positiveMask(yTrue: readonly Label[], labels: readonly Label[], posLabel: Label): ArrayLike<number> {
  if (posLabel === 1 && labels.every((l) => l === 0 || l === 1)) return yTrue as readonly number[];
  const positive = new Uint8Array(yTrue.length);
  for (let i = 0; i < positive.length; i++) positive[i] = yTrue[i] === posLabel ? 1 : 0;
  return positive;
}

/**
 * Checks multilabel 0/1 rows and score rows together and splits them into
 * columns in the same pass: the per-label metrics read columns, and one pass
 * over the rows is a third of the time of checking each matrix and then
 * transposing both. Errors name the first bad row or entry, as
 * `checkIndicator` and `checkMatrix` do.
 *
 * The columns are views of two column-major buffers (one store target each,
 * not one per column), reused between calls like `binaryCurve`'s scratch:
 * read them before the next call. A row is checked with one flag and only
 * searched for its bad entry when the flag is set.
 */
function checkLabelColumns(yTrue: readonly unknown[], yScore: readonly unknown[]): LabelColumns {
  const n = yTrue.length;
  const width = (yTrue[0] as unknown[]).length;
  if (width === 0) throw new MetricInputError('yTrue[0]', 'expected at least one label column, got an empty row');
  const { positive, scores } = columnScratch(n * width);
  for (let i = 0; i < n; i++) {
    const targets = yTrue[i];
    const row = yScore[i];
    if (!Array.isArray(targets)) throw new MetricInputError(`yTrue[${i}]`, `expected a 0/1 array (multilabel row), got ${describe(targets)}`);
    if (targets.length !== width) throw new MetricInputError(`yTrue[${i}]`, `expected ${width} columns like row 0, got ${targets.length}`);
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) throw new MetricInputError(`yScore[${i}]`, `expected a row of ${width} scores, got ${describe(row)}`);
    const r = row as ArrayLike<unknown>;
    if (r.length !== width) throw new MetricInputError(`yScore[${i}]`, `expected ${width} scores, got ${r.length}`);
    let bad = false;
    for (let j = 0, at = i; j < width; j++, at += n) {
      const target = targets[j];
      const score = r[j];
      // `t & 1` is t itself only for the numbers 0 and 1 (and -0); Number.isFinite is false for non-numbers.
      bad = bad || target !== (target & 1) || !Number.isFinite(score);
      positive[at] = target;
      scores[at] = score as number;
    }
    if (bad) throwBadEntry(targets, r, i);
  }
  return {
    positive: Array.from({ length: width }, (_, j) => positive.subarray(j * n, (j + 1) * n)),
    scores: Array.from({ length: width }, (_, j) => scores.subarray(j * n, (j + 1) * n)),
  };
}

/** The error for the first bad entry of row `i` (a target that is not 0 or 1, or a score that is not a finite number). */
function throwBadEntry(targets: readonly unknown[], row: ArrayLike<unknown>, i: number): never {
  for (let j = 0; j < targets.length; j++) {
    const target = targets[j];
    if (target !== 0 && target !== 1) throw new MetricInputError(`yTrue[${i}][${j}]`, `expected 0 or 1 in a multilabel indicator, got ${describe(target)}`);
    if (!Number.isFinite(row[j])) throw new MetricInputError(`yScore[${i}][${j}]`, `expected a finite number, got ${describe(row[j])}`);
  }
  throw new Error('unreachable: the row has no bad entry');
}

let positiveRef: WeakRef<Uint8Array> | undefined;
let scoresRef: WeakRef<Float64Array> | undefined;

/** Column buffers for `checkLabelColumns`, held weakly and reused (allocating and page-faulting them was a tenth of a call). */
function columnScratch(length: number): { positive: Uint8Array; scores: Float64Array } {
  let positive = positiveRef?.deref();
  let scores = scoresRef?.deref();
  if (positive === undefined || positive.length < length) {
    positive = new Uint8Array(length);
    positiveRef = new WeakRef(positive);
  }
  if (scores === undefined || scores.length < length) {
    scores = new Float64Array(length);
    scoresRef = new WeakRef(scores);
  }
  return { positive, scores };
}

/** Every column of a matrix, in one pass over its rows (row by row is the cache-friendly order). */
export function columns(matrix: readonly (readonly number[])[], width: number): Float64Array[] {
  const n = matrix.length;
  const out = Array.from({ length: width }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const row = matrix[i];
    for (let c = 0; c < width; c++) out[c][i] = row[c];
  }
  return out;
}

/**
 * scikit-learn 1.2 `_average_binary_score` for multilabel indicators: the
 * binary metric per column (`macro`: plain mean; `weighted`: weighted by
 * positives per column, 0 if there are none), on the flattened matrix
 * (`micro`), per row (`samples`), or per column without averaging (`null`).
 */
export function averageOverColumns(
  yTrue: readonly (readonly number[])[],
  matrix: readonly (readonly number[])[],
  average: 'micro' | 'macro' | 'weighted' | 'samples' | null,
  metric: (positive: ArrayLike<number>, scores: ArrayLike<number>, argument: string) => number,
  byColumn?: LabelColumns,
): number | number[] {
  const n = yTrue.length;
  const width = yTrue[0].length;
  if (average === 'micro') {
    const pos = new Uint8Array(n * width);
    const sc = new Float64Array(n * width);
    for (let i = 0; i < n; i++) for (let j = 0; j < width; j++) {
      pos[i * width + j] = yTrue[i][j];
      sc[i * width + j] = matrix[i][j];
    }
    return metric(pos, sc, 'yTrue');
  }
  if (average === 'samples') {
    const scores = yTrue.map((row, i) => metric(row, matrix[i], `yTrue[${i}]`));
    return pairwiseSum(scores) / scores.length;
  }
  const scores: number[] = [];
  const trueColumns = byColumn?.positive ?? columns(yTrue, width);
  const scoreColumns = byColumn?.scores ?? columns(matrix, width);
  for (let c = 0; c < width; c++) scores.push(metric(trueColumns[c], scoreColumns[c], `yTrue (column ${c})`));
  if (average === null) return scores;
  if (average === 'weighted') {
    const weights = trueColumns.map((column) => pairwiseSum(column));
    const total = pairwiseSum(weights);
    if (Math.abs(total) <= 1e-8) return 0;
    return pairwiseSum(scores.map((s, c) => (weights[c] === 0 ? 0 : s * weights[c]))) / total;
  }
  return pairwiseSum(scores) / scores.length;
}
