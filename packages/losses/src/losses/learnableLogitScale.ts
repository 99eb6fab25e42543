import { tf } from '@polyfuse/core';
import { checkFiniteNumber } from '../validation/checks.js';

export interface LearnableLogitScaleOptions {
  /** Starting temperature; CLIP uses 0.07 (scale ≈ 14.3). */
  initialTemperature?: number;
  /** Largest scale allowed; CLIP clamps at 100. */
  maxScale?: number;
  /** Variable name (must be unique among live tfjs variables); default `logit_scale_<n>`. */
  name?: string;
}

let created = 0;

/**
 * CLIP's learnable temperature: the variable is `log(scale)`, initialised to
 * `log(1 / initialTemperature)`, and the scale is `exp` of it clamped to
 * `[1, maxScale]` (CLIP clamps the logged parameter to [0, ln 100] after each
 * optimiser step). `scale()` clamps in the forward pass, so the scale never
 * exceeds `maxScale` even between steps; call `clamp()` after the optimiser
 * step to also pull the variable itself back, as CLIP does.
 */
export class LearnableLogitScale {
  /** The trainable `log(scale)`; give it to the optimiser with the model's variables. */
  readonly variable: tf.Variable;
  readonly maxScale: number;

  constructor(options: LearnableLogitScaleOptions = {}) {
    const temperature = checkFiniteNumber(options.initialTemperature ?? 0.07, 'LearnableLogitScale: initialTemperature', {
      exclusiveMin: 0,
    });
    this.maxScale = checkFiniteNumber(options.maxScale ?? 100, 'LearnableLogitScale: maxScale', { min: 1 });
    const initial = Math.min(Math.max(Math.log(1 / temperature), 0), Math.log(this.maxScale));
    const name = options.name ?? `logit_scale_${created++}`;
    // tidy frees the initial scalar; the variable keeps its own reference to the data.
    this.variable = tf.tidy(() => tf.variable(tf.scalar(initial), true, name));
  }

  /** `exp(clamp(log_scale, 0, ln maxScale))`, differentiable inside the clamp range. */
  scale(): tf.Scalar {
    return tf.tidy(() => tf.exp(tf.clipByValue(this.variable, 0, Math.log(this.maxScale))) as tf.Scalar);
  }

  /** Clamps the variable to [0, ln maxScale] in place (call after each optimiser step). */
  clamp(): void {
    tf.tidy(() => this.variable.assign(tf.clipByValue(this.variable, 0, Math.log(this.maxScale))));
  }

  /** Current scale as a number. */
  value(): number {
    return Math.min(Math.max(Math.exp(this.variable.dataSync()[0]), 1), this.maxScale);
  }

  dispose(): void {
    this.variable.dispose();
  }
}
