import { tf, InputError } from '@polyfuse/core';
import { readMultilabel } from './multilabelTargets.js';
import type { TrainingMetric } from './trainingMetric.js';

/**
 * F1 of multi-label predictions (`sigmoid(logit) > threshold`, strictly
 * greater as torchmetrics' `MultilabelF1Score`) against a multi-hot target,
 * streamed as per-class true positive, false positive and false negative
 * counts. Equals scikit-learn 1.2 `f1_score(y_true, y_pred, average,
 * zero_division=0)` on the indicator matrices: `micro` pools the counts of all
 * classes, `macro` is the plain mean over all C classes of
 * 2·tp / (2·tp + fp + fn), a class with no positives and no predictions
 * scoring 0.
 */
export class MultilabelF1Metric implements TrainingMetric {
  readonly higherIsBetter = true;
  private counts?: { truePositive: Float64Array; falsePositive: Float64Array; falseNegative: Float64Array };

  /**
   * @param name logged name (`multilabel_f1_micro_logits_tags`).
   * @param output the `logits_<head>` output `[B, C]`.
   * @param target the multilabel target `[B, C]`.
   * @param average `'macro'` (default) or `'micro'`.
   * @param threshold probability above which a class is predicted; default 0.5.
   */
  constructor(
    readonly name: string,
    readonly output = 'logits',
    readonly target = 'label',
    readonly average: 'macro' | 'micro' = 'macro',
    readonly threshold = 0.5,
  ) {}

  update(prediction: tf.Tensor, target: tf.Tensor): void {
    const { logits, labels, classes } = readMultilabel(this.name, this.output, this.target, prediction, target);
    this.counts ??= { truePositive: new Float64Array(classes), falsePositive: new Float64Array(classes), falseNegative: new Float64Array(classes) };
    if (this.counts.truePositive.length !== classes) {
      throw new InputError(`metric ${this.name}: ${this.output} has ${classes} classes but earlier batches had ${this.counts.truePositive.length}.`);
    }
    const { truePositive, falsePositive, falseNegative } = this.counts;
    for (let i = 0; i < logits.length; i++) {
      const predicted = 1 / (1 + Math.exp(-logits[i])) > this.threshold;
      const c = i % classes;
      if (predicted && labels[i] === 1) truePositive[c]++;
      else if (predicted) falsePositive[c]++;
      else if (labels[i] === 1) falseNegative[c]++;
    }
  }

  compute(): number {
    if (!this.counts) throw new InputError(`metric ${this.name}: no samples were seen (is the validation split empty?).`);
    const { truePositive: tp, falsePositive: fp, falseNegative: fn } = this.counts;
    const f1 = (t: number, p: number, n: number) => (2 * t + p + n === 0 ? 0 : (2 * t) / (2 * t + p + n));
    if (this.average === 'micro') {
      const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
      return f1(sum(tp), sum(fp), sum(fn));
    }
    let total = 0;
    for (let c = 0; c < tp.length; c++) total += f1(tp[c], fp[c], fn[c]);
    return total / tp.length;
  }

  reset(): void {
    this.counts = undefined;
  }
}
