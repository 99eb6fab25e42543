import { tf, ConfigError } from '@polyfuse/core';
import type { WeightedGradients, WeightingContext, WeightingStrategy } from '@polyfuse/losses';

/**
 * The trainer's default when no strategy is configured: the total is the sum
 * of the terms times fixed weights (1 when not given), differentiated in one
 * `tf.variableGrads` call. @polyfuse/losses' `weighting/static` does the same
 * and more; this keeps the trainer usable on its own.
 */
export class FixedWeighting implements WeightingStrategy {
  readonly name = 'fixed';
  readonly variables: tf.Variable[] = [];

  constructor(readonly weights: Record<string, number> = {}) {
    for (const [term, w] of Object.entries(weights)) {
      if (!Number.isFinite(w) || w < 0) throw new ConfigError(`weights.${term} must be a finite number >= 0, got ${w}.`);
    }
  }

  computeGradients(terms: Record<string, () => tf.Scalar>, context: WeightingContext): WeightedGradients {
    const names = Object.keys(terms);
    const weights = Object.fromEntries(names.map((n) => [n, this.weights[n] ?? 1]));
    const values: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.variableGrads(() => {
      const parts = names.map((n) => {
        values[n] = tf.keep(terms[n]());
        return values[n].mul(weights[n]);
      });
      return tf.addN(parts) as tf.Scalar;
    }, context.variables);
    const losses = Object.fromEntries(names.map((n) => [n, values[n].dataSync()[0]]));
    const total = value.dataSync()[0];
    tf.dispose([value, ...Object.values(values)]);
    return { grads, losses, weights, total };
  }

  getState(): unknown {
    return { weights: this.weights };
  }

  setState(): void {
    // nothing learned
  }
}
