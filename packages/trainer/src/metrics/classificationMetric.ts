import { tf, InputError } from '@polyfuse/core';
import { StreamingClassificationMetrics } from '@polyfuse/metrics';
import type { TrainingMetric } from './trainingMetric.js';

export type ClassificationScore = 'accuracy' | 'precision' | 'recall' | 'f1';

/**
 * Accuracy, precision, recall or F1 streamed over batches with
 * @polyfuse/metrics' `StreamingClassificationMetrics` (a confusion matrix,
 * so memory does not grow with the data). Predictions are the argmax of the
 * logits, or `logit > 0` for a single logit per sample. The classes are all
 * `C` columns of the output (torchmetrics' `num_classes` convention), so a
 * class missing from a validation batch still counts in macro averages;
 * numbers equal scikit-learn 1.2 with `labels=range(C)` and `zero_division=0`.
 */
export class ClassificationMetric implements TrainingMetric {
  readonly higherIsBetter = true;
  private streaming?: StreamingClassificationMetrics;

  constructor(
    readonly name: string,
    readonly score: ClassificationScore,
    readonly average: 'macro' | 'micro' | 'weighted' | 'binary' = 'macro',
    readonly output = 'logits',
    readonly target = 'label',
  ) {}

  update(prediction: tf.Tensor, target: tf.Tensor): void {
    if (prediction.rank !== 2 || target.rank !== 1 || prediction.shape[0] !== target.shape[0]) {
      throw new InputError(`metric ${this.name}: expected ${this.output} [B, C] and ${this.target} [B], got [${prediction.shape}] and [${target.shape}].`);
    }
    const columns = prediction.shape[1] as number;
    const classes = columns === 1 ? 2 : columns;
    this.streaming ??= new StreamingClassificationMetrics({
      labels: Array.from({ length: classes }, (_, i) => i),
      average: this.average,
      zeroDivision: 0,
    });
    if (this.streaming.labels.length !== classes) {
      throw new InputError(`metric ${this.name}: ${this.output} has ${classes} classes but earlier batches had ${this.streaming.labels.length}.`);
    }
    const predicted = tf.tidy(() => (columns === 1 ? prediction.reshape([-1]).greater(0).toInt() : prediction.argMax(1)));
    const yPred = Array.from(predicted.dataSync());
    predicted.dispose();
    const yTrue = Array.from(target.dataSync(), Math.round);
    const outside = yTrue.find((y) => y < 0 || y >= classes);
    if (outside !== undefined) throw new InputError(`metric ${this.name}: target ${outside} is not a class index in [0, ${classes}).`);
    this.streaming.update(yTrue, yPred);
  }

  compute(): number {
    if (!this.streaming) throw new InputError(`metric ${this.name}: no samples were seen (is the validation split empty?).`);
    const result = this.streaming.compute();
    const value = this.score === 'accuracy' ? result.accuracy : this.score === 'f1' ? result.fscore : result[this.score];
    return value as number;
  }

  /** Rows true class, columns predicted class, over the batches seen (for reports). */
  confusionMatrix(): number[][] {
    if (!this.streaming) throw new InputError(`metric ${this.name}: no samples were seen.`);
    return this.streaming.compute().confusionMatrix;
  }

  reset(): void {
    this.streaming?.reset();
  }
}
