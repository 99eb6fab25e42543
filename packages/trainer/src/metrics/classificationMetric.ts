import { tf, InputError } from '@polyfuse/core';
import type { TrainingMetric } from './trainingMetric.js';

/**
 * Streams a classification score over batches: collects the true class and
 * the argmax of the logits (or, for one logit per sample, `logit > 0`) and
 * scores them with a @polyfuse/metrics function at `compute()`. Collecting
 * labels (8 bytes a sample) rather than summarising keeps every sklearn
 * averaging mode exact.
 */
export class ClassificationMetric implements TrainingMetric {
  private yTrue: number[] = [];
  private yPred: number[] = [];

  constructor(
    readonly name: string,
    private readonly score: (yTrue: number[], yPred: number[]) => number,
    readonly output = 'logits',
    readonly target = 'label',
    readonly higherIsBetter = true,
  ) {}

  update(prediction: tf.Tensor, target: tf.Tensor): void {
    if (prediction.rank !== 2 || target.rank !== 1 || prediction.shape[0] !== target.shape[0]) {
      throw new InputError(`metric ${this.name}: expected ${this.output} [B, C] and ${this.target} [B], got [${prediction.shape}] and [${target.shape}].`);
    }
    const predicted = tf.tidy(() => (prediction.shape[1] === 1 ? prediction.reshape([-1]).greater(0).toInt() : prediction.argMax(1)));
    this.yPred.push(...(predicted.dataSync() as Int32Array));
    predicted.dispose();
    this.yTrue.push(...Array.from(target.dataSync(), Math.round));
  }

  compute(): number {
    if (this.yTrue.length === 0) throw new InputError(`metric ${this.name}: no samples were seen (is the validation split empty?).`);
    return this.score(this.yTrue, this.yPred);
  }

  reset(): void {
    this.yTrue = [];
    this.yPred = [];
  }
}
