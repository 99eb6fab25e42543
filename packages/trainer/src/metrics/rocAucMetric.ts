import { tf, InputError } from '@polyfuse/core';
import { StreamingRocAuc } from '@polyfuse/metrics';
import type { TrainingMetric } from './trainingMetric.js';

/**
 * ROC AUC of the softmax probabilities (sigmoid for one logit), streamed with
 * @polyfuse/metrics' `StreamingRocAuc`: scikit-learn 1.2 `roc_auc_score`,
 * binary for two classes (probability of class 1), one-vs-rest macro
 * average for more.
 */
export class RocAucMetric implements TrainingMetric {
  readonly name = 'roc_auc';
  readonly higherIsBetter = true;
  private streaming?: StreamingRocAuc;

  constructor(
    readonly output = 'logits',
    readonly target = 'label',
  ) {}

  update(prediction: tf.Tensor, target: tf.Tensor): void {
    if (prediction.rank !== 2 || target.rank !== 1 || prediction.shape[0] !== target.shape[0]) {
      throw new InputError(`metric ${this.name}: expected ${this.output} [B, C] and ${this.target} [B], got [${prediction.shape}] and [${target.shape}].`);
    }
    const columns = prediction.shape[1] as number;
    const probabilities = tf.tidy(() => (columns === 1 ? tf.sigmoid(prediction).reshape([-1]) : columns === 2 ? tf.softmax(prediction).slice([0, 1], [-1, 1]).reshape([-1]) : tf.softmax(prediction)));
    const scores = probabilities.arraySync() as number[] | number[][];
    probabilities.dispose();
    this.streaming ??= new StreamingRocAuc(columns > 2 ? { multiClass: 'ovr', average: 'macro' } : {});
    this.streaming.update(Array.from(target.dataSync(), Math.round), scores);
  }

  compute(): number {
    if (!this.streaming) throw new InputError(`metric ${this.name}: no samples were seen (is the validation split empty?).`);
    return this.streaming.compute() as number;
  }

  reset(): void {
    this.streaming?.reset();
  }
}
