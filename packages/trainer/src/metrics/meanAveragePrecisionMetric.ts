import { tf, InputError } from '@polyfuse/core';
import { averagePrecisionScore } from '@polyfuse/metrics';
import { readMultilabel } from './multilabelTargets.js';
import type { TrainingMetric } from './trainingMetric.js';

/**
 * Mean average precision over classes of a multi-label output: for each class
 * with at least one positive in the split, scikit-learn 1.2
 * `average_precision_score` (step-wise, no interpolation) of its logits
 * against its 0/1 column, then the plain mean. Classes without positives are
 * skipped, as torchmetrics' `MultilabelAveragePrecision(average='macro')`
 * skips their NaN; scikit-learn would count them as 0. AP depends only on the
 * order of the scores, so logits are ranked directly (sigmoid probabilities
 * would tie where they saturate). Every score is kept until `compute`.
 */
export class MeanAveragePrecisionMetric implements TrainingMetric {
  readonly higherIsBetter = true;
  private readonly scores: Float32Array[] = [];
  private readonly labels: Uint8Array[] = [];
  private classes?: number;

  /**
   * @param name logged name (`map_logits_tags`).
   * @param output the `logits_<head>` output `[B, C]`.
   * @param target the multilabel target `[B, C]`.
   */
  constructor(
    readonly name: string,
    readonly output = 'logits',
    readonly target = 'label',
  ) {}

  update(prediction: tf.Tensor, target: tf.Tensor): void {
    const { logits, labels, classes } = readMultilabel(this.name, this.output, this.target, prediction, target);
    this.classes ??= classes;
    if (classes !== this.classes) throw new InputError(`metric ${this.name}: ${this.output} has ${classes} classes but earlier batches had ${this.classes}.`);
    this.scores.push(logits);
    this.labels.push(labels);
  }

  compute(): number {
    const classes = this.classes;
    if (classes === undefined) throw new InputError(`metric ${this.name}: no samples were seen (is the validation split empty?).`);
    const yTrue: number[][] = [];
    const yScore: number[][] = [];
    this.labels.forEach((labels, chunk) => {
      for (let start = 0; start < labels.length; start += classes) {
        yTrue.push(Array.from(labels.subarray(start, start + classes)));
        yScore.push(Array.from(this.scores[chunk].subarray(start, start + classes)));
      }
    });
    const withPositives = Array.from({ length: classes }, (_, c) => c).filter((c) => yTrue.some((row) => row[c] === 1));
    if (withPositives.length === 0) throw new InputError(`metric ${this.name}: no class of ${this.target} has a positive sample in the split, so mAP is undefined.`);
    const perClass = averagePrecisionScore(
      yTrue.map((row) => withPositives.map((c) => row[c])),
      yScore.map((row) => withPositives.map((c) => row[c])),
      { average: null },
    ) as number[];
    return perClass.reduce((s, v) => s + v, 0) / perClass.length;
  }

  reset(): void {
    this.scores.length = 0;
    this.labels.length = 0;
    this.classes = undefined;
  }
}
