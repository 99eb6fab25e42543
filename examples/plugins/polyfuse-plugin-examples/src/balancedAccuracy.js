// metric/example-balanced-accuracy: balanced accuracy, streamed over validation batches.
import * as tf from '@tensorflow/tfjs';

/** @typedef {import('@polyfuse/trainer').TrainingMetric} TrainingMetric */
/** @typedef {import('@polyfuse/core').RegistryEntry<Record<string, unknown>, TrainingMetric>} MetricEntry */

/**
 * Balanced accuracy from a confusion matrix (rows: true class, columns:
 * predicted class), exactly scikit-learn 1.2's `balanced_accuracy_score`:
 * the mean recall of the classes that occur in the true labels (a class
 * that is only predicted is left out). `adjusted` rescales it so chance
 * scores 0 and perfect 1: `(score - 1/K) / (1 - 1/K)`, K those classes.
 *
 * @param {number[][]} confusion
 * @param {{ adjusted?: boolean }} [options]
 * @returns {number} NaN when no sample was counted
 */
export function balancedAccuracyFromConfusion(confusion, options = {}) {
  const recalls = [];
  confusion.forEach((row, c) => {
    const support = row.reduce((a, b) => a + b, 0);
    if (support > 0) recalls.push(row[c] / support);
  });
  if (recalls.length === 0) return Number.NaN;
  let score = recalls.reduce((a, b) => a + b, 0) / recalls.length;
  if (options.adjusted) {
    const chance = 1 / recalls.length;
    score = (score - chance) / (1 - chance);
  }
  return score;
}

/**
 * `balanced_accuracy_score(yTrue, yPred)` on class indices.
 *
 * @param {number[]} yTrue
 * @param {number[]} yPred
 * @param {{ adjusted?: boolean }} [options]
 */
export function balancedAccuracyScore(yTrue, yPred, options = {}) {
  const classes = Math.max(...yTrue, ...yPred) + 1;
  const confusion = Array.from({ length: classes }, () => new Array(classes).fill(0));
  yTrue.forEach((t, i) => confusion[t][yPred[i]]++);
  return balancedAccuracyFromConfusion(confusion, options);
}

/**
 * The TrainingMetric contract of @polyfuse/trainer
 * (packages/trainer/src/metrics/trainingMetric.ts): `update` per validation
 * batch with the argmax of `output` against `target`, `compute` at the end.
 * Memory is one C×C confusion matrix, however many samples.
 *
 * @implements {TrainingMetric}
 */
export class BalancedAccuracyMetric {
  higherIsBetter = true;
  /** @type {number[][] | undefined} */
  confusion;

  /** @param {{ output: string, target: string, adjusted: boolean }} options */
  constructor({ output, target, adjusted }) {
    this.output = output;
    this.target = target;
    this.adjusted = adjusted;
    // Logged as balanced_accuracy, then its variant, then its output when that is not `logits` (polyfuse's naming).
    this.name = `balanced_accuracy${adjusted ? '_adjusted' : ''}${output === 'logits' ? '' : `_${output}`}`;
  }

  /** @param {tf.Tensor} prediction `[B, C]` logits @param {tf.Tensor} target `[B]` class indices */
  update(prediction, target) {
    if (prediction.rank !== 2 || target.rank !== 1 || prediction.shape[0] !== target.shape[0]) {
      throw new Error(`metric ${this.name}: expected ${this.output} [B, C] and ${this.target} [B], got [${prediction.shape}] and [${target.shape}].`);
    }
    const classes = prediction.shape[1];
    this.confusion ??= Array.from({ length: classes }, () => new Array(classes).fill(0));
    const predicted = tf.tidy(() => tf.argMax(prediction, 1));
    const yPred = predicted.dataSync();
    predicted.dispose();
    target.dataSync().forEach((t, i) => this.confusion[Math.round(t)][yPred[i]]++);
  }

  compute() {
    if (!this.confusion) throw new Error(`metric ${this.name}: no samples were seen (is the validation split empty?).`);
    return balancedAccuracyFromConfusion(this.confusion, { adjusted: this.adjusted });
  }

  reset() {
    this.confusion = undefined;
  }
}

/** @type {MetricEntry} */
export const balancedAccuracyEntry = {
  kind: 'metric',
  name: 'example-balanced-accuracy',
  description: 'Mean per-class recall (sklearn balanced_accuracy_score).',
  // `output` and `target` as the built-in metrics declare them: the CLI fills `target` from the head that makes `output`.
  schema: {
    output: { type: 'string', default: 'logits', description: 'Model output to score (logits, logits_<modality>, logits_<head>).' },
    target: { type: 'string', default: 'label', description: 'Class target to compare with.' },
    adjusted: { type: 'boolean', default: false, description: 'Rescale so that chance is 0 and perfect is 1.' },
  },
  create: (config) => new BalancedAccuracyMetric(/** @type {any} */ (config)),
};
