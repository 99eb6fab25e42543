import { tf, InputError, formatShape } from '@polyfuse/core';
import type { TrainingMetric } from './trainingMetric.js';

/**
 * Maps standardised values back to the target's units, e.g.
 * `v => v * std + mean` per column. It receives row-major `[B * K]` values
 * and returns as many; it may overwrite its argument.
 */
export type InvertRegression = (values: Float32Array) => Float32Array;

/**
 * Base of the regression metrics (`mae`, `rmse`, `r2`): reads a `values_<head>`
 * output `[B]` or `[B, K]` and a float target of the same shape (`[B, 1]` and
 * `[B]` count as the same), maps both through `invert` when the target is
 * standardised, and keeps every value, so `compute` scores the whole split
 * at once, exactly as scikit-learn would on the concatenated arrays.
 */
export abstract class RegressionMetric implements TrainingMetric {
  abstract readonly higherIsBetter: boolean;
  private readonly predictions: Float32Array[] = [];
  private readonly targets: Float32Array[] = [];
  private width?: number;

  /**
   * @param name logged name (`mae_values_speed`).
   * @param output the `values_<head>` output to score.
   * @param target the regression target to compare with.
   * @param invert maps standardised values back to original units; none by default.
   */
  constructor(
    readonly name: string,
    readonly output: string,
    readonly target: string,
    readonly invert?: InvertRegression,
  ) {}

  /** The score of row-major `[n, width]` values. */
  protected abstract score(yTrue: Float64Array, yPred: Float64Array, width: number): number;

  update(prediction: tf.Tensor, target: tf.Tensor): void {
    const width = (t: tf.Tensor) => (t.rank === 1 ? 1 : t.rank === 2 ? (t.shape[1] as number) : -1);
    const k = width(prediction);
    if (k < 1 || k !== width(target) || prediction.shape[0] !== target.shape[0]) {
      throw new InputError(`metric ${this.name}: expected ${this.output} [B] or [B, K] and ${this.target} of the same shape, got ${formatShape(prediction.shape)} and ${formatShape(target.shape)}.`);
    }
    this.width ??= k;
    if (k !== this.width) throw new InputError(`metric ${this.name}: ${this.output} has ${k} values per sample but earlier batches had ${this.width}.`);
    this.predictions.push(this.inverted(prediction));
    this.targets.push(this.inverted(target));
  }

  private inverted(values: tf.Tensor): Float32Array {
    const copy = Float32Array.from(values.dataSync());
    if (!this.invert) return copy;
    const out = this.invert(copy);
    if (out.length !== copy.length) throw new InputError(`metric ${this.name}: invert returned ${out.length} values for ${copy.length}.`);
    return out;
  }

  compute(): number {
    if (this.width === undefined) throw new InputError(`metric ${this.name}: no samples were seen (is the validation split empty?).`);
    return this.score(concat(this.targets), concat(this.predictions), this.width);
  }

  reset(): void {
    this.predictions.length = 0;
    this.targets.length = 0;
    this.width = undefined;
  }
}

function concat(chunks: Float32Array[]): Float64Array {
  const out = new Float64Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
