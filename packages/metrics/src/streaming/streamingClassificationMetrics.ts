import { MetricInputError } from '../errors.js';
import { prfFromCounts, type Average, type ZeroDivision } from '../functional/classification/precisionRecallFscoreSupport.js';
import { checkLabelArray, type Label } from '../functional/classification/targets.js';
import { assertNonEmptyArray, assertOneOf, assertSameLength, describe } from '../util/validate.js';
import { StreamingMetric } from './streamingMetric.js';
import { argmaxRows, toArray, type ArrayOrTensor } from './toArray.js';

export interface StreamingClassificationOptions {
  /** Every label that can occur, in report order. Score rows passed to `update` have one column per label, in this order. */
  labels: readonly Label[];
  /** As `precisionRecallFscoreSupport`, except `'samples'`. Default `'macro'`. */
  average?: Exclude<Average, 'samples'> | null;
  beta?: number;
  posLabel?: Label;
  zeroDivision?: ZeroDivision;
  onWarning?: (message: string) => void;
}

export interface StreamingClassificationResult {
  accuracy: number;
  precision: number | number[];
  recall: number | number[];
  fscore: number | number[];
  /** True samples per label, in `labels` order. */
  support: number[];
  /** Rows true, columns predicted, in `labels` order. */
  confusionMatrix: number[][];
}

/**
 * Accuracy, precision, recall, F-beta and the confusion matrix accumulated
 * over batches for single-label classification. The state is the confusion
 * matrix over the declared `labels` (summed when merging), and `compute` gives
 * the same numbers as `accuracyScore` and `precisionRecallFscoreSupport` on
 * all batches concatenated with the same `labels`. `update` takes labels, or
 * score rows (logits or probabilities, arrays or tensors) reduced by argmax.
 */
export class StreamingClassificationMetrics extends StreamingMetric<StreamingClassificationResult> {
  readonly labels: readonly Label[];
  readonly average: Exclude<Average, 'samples'> | null;
  readonly beta: number;
  readonly posLabel: Label;
  readonly zeroDivision: ZeroDivision;
  private readonly onWarning?: (message: string) => void;
  private readonly index: Map<Label, number>;

  constructor(options: StreamingClassificationOptions) {
    super();
    assertNonEmptyArray(options?.labels, 'labels');
    checkLabelArray(options.labels, 'labels');
    this.labels = [...options.labels];
    this.index = new Map(this.labels.map((l, i) => [l, i]));
    if (this.index.size !== this.labels.length) throw new MetricInputError('labels', 'expected distinct labels');
    this.average = options.average === undefined ? 'macro' : options.average;
    assertOneOf(this.average, ['binary', 'micro', 'macro', 'weighted', null] as const, 'average');
    this.beta = options.beta ?? 1;
    if (!(this.beta >= 0)) throw new MetricInputError('beta', `expected a number >= 0, got ${describe(this.beta)}`);
    this.posLabel = options.posLabel ?? 1;
    this.zeroDivision = options.zeroDivision ?? 'warn';
    assertOneOf(this.zeroDivision, ['warn', 0, 1] as const, 'zeroDivision');
    this.onWarning = options.onWarning;
    if (this.average === 'binary' && (this.labels.length > 2 || !this.index.has(this.posLabel))) {
      throw new MetricInputError('posLabel', `average 'binary' needs at most two labels including posLabel ${describe(this.posLabel)}`);
    }
    const L = this.labels.length;
    this.addState('confusion', 'sum', () => new Array<number>(L * L).fill(0));
  }

  protected configKey(): string {
    return JSON.stringify([this.labels, this.average, this.beta, this.posLabel, this.zeroDivision]);
  }

  /** Adds a batch: true labels, and predicted labels or score rows (one column per label). */
  update(yTrue: ArrayOrTensor, yPred: ArrayOrTensor): void {
    const t = toArray(yTrue, 'yTrue');
    let p = toArray(yPred, 'yPred');
    assertSameLength(t, 'yTrue', p, 'yPred');
    if (p.length > 0 && Array.isArray(p[0])) {
      const rows = p as number[][];
      rows.forEach((row, i) => {
        if (row.length !== this.labels.length) throw new MetricInputError(`yPred[${i}]`, `expected ${this.labels.length} scores (one per label), got ${row.length}`);
      });
      p = argmaxRows(rows).map((j) => this.labels[j]);
    }
    const L = this.labels.length;
    const confusion = this.states.confusion as number[];
    const rows = t.map((label, i) => this.labelIndex(label, `yTrue[${i}]`));
    const cols = p.map((label, i) => this.labelIndex(label, `yPred[${i}]`));
    for (let i = 0; i < rows.length; i++) confusion[rows[i] * L + cols[i]]++;
  }

  private labelIndex(label: unknown, argument: string): number {
    const i = this.index.get(label as Label);
    if (i === undefined) throw new MetricInputError(argument, `${describe(label)} is not one of the declared labels ${this.labels.map(describe).join(', ')}`);
    return i;
  }

  compute(): StreamingClassificationResult {
    const L = this.labels.length;
    const confusion = this.states.confusion as number[];
    const matrix = Array.from({ length: L }, (_, i) => confusion.slice(i * L, (i + 1) * L));
    const total = confusion.reduce((a, b) => a + b, 0);
    if (total === 0) throw new MetricInputError('update', 'no samples were added before compute()');
    let correct = 0;
    for (let i = 0; i < L; i++) correct += matrix[i][i];
    const actual = matrix.map((row) => row.reduce((a, b) => a + b, 0));
    const predicted = this.labels.map((_, j) => matrix.reduce((s, row) => s + row[j], 0));
    const tp = this.labels.map((_, i) => matrix[i][i]);
    const selected = this.average === 'binary' ? [this.index.get(this.posLabel) as number] : this.labels.map((_, i) => i);
    const counts = {
      tp: selected.map((i) => tp[i]),
      predicted: selected.map((i) => predicted[i]),
      actual: selected.map((i) => actual[i]),
      total: selected.map(() => total),
    };
    const scores = prfFromCounts(counts, this.average, this.beta, this.zeroDivision, this.onWarning);
    return { accuracy: correct / total, ...scores, support: actual, confusionMatrix: matrix };
  }
}
