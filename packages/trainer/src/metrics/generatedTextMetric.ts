import { tf, InputError } from '@polyfuse/core';
import type { MetricContext, TrainingMetric } from './trainingMetric.js';

/**
 * Base of the metrics on generated sequences (`bleu`, `cider`, `rouge-l`,
 * `exact-match`): each batch, it takes the texts the decoder output
 * `tokens_<head>` generates (`context.generated(output)`, greedy decoding)
 * and every reference of the sequence target (`context.batch.references`),
 * keeps them, and scores the whole split at `compute`.
 */
export abstract class GeneratedTextMetric implements TrainingMetric {
  readonly higherIsBetter = true;
  protected readonly hypotheses: string[] = [];
  protected readonly references: string[][] = [];

  /**
   * @param name logged name (`bleu_tokens_caption`).
   * @param output the decoder output `tokens_<head>`.
   * @param target the sequence target whose references to compare with.
   */
  constructor(
    readonly name: string,
    readonly output: string,
    readonly target: string,
  ) {}

  /** The score of every hypothesis against its references. */
  protected abstract score(hypotheses: string[], references: string[][]): number;

  update(prediction: tf.Tensor, target: tf.Tensor, context?: MetricContext): void {
    if (!context) {
      throw new InputError(`metric ${this.name}: needs the metric context (texts generated from ${this.output} and the references of ${this.target}); pass it as update's third argument.`);
    }
    const references = context.batch.references?.[this.target];
    if (!references) {
      const known = Object.keys(context.batch.references ?? {});
      throw new InputError(`metric ${this.name}: the batch has no references for '${this.target}' (is it a sequence target?); references: ${known.join(', ') || 'none'}.`);
    }
    const samples = target.shape[0];
    if (prediction.shape[0] !== samples || references.length !== samples) {
      throw new InputError(`metric ${this.name}: ${this.output} has ${prediction.shape[0]} rows, ${this.target} ${samples} and its references ${references.length}; expected one per sample.`);
    }
    const hypotheses = context.generated(this.output);
    if (hypotheses.length !== samples) throw new InputError(`metric ${this.name}: ${hypotheses.length} texts were generated from ${this.output} for ${samples} samples.`);
    references.forEach((refs, i) => {
      if (!Array.isArray(refs) || refs.length === 0 || refs.some((r) => typeof r !== 'string')) {
        throw new InputError(`metric ${this.name}: sample ${context.batch.ids[i] ?? i} needs at least one reference text for '${this.target}', got ${JSON.stringify(refs)}.`);
      }
    });
    this.hypotheses.push(...hypotheses);
    this.references.push(...references.map((refs) => [...refs]));
  }

  compute(): number {
    if (this.hypotheses.length === 0) throw new InputError(`metric ${this.name}: no samples were seen (is the validation split empty?).`);
    return this.score(this.hypotheses, this.references);
  }

  reset(): void {
    this.hypotheses.length = 0;
    this.references.length = 0;
  }
}
