import { tf } from '../tf.js';
import { setDeprecationHandler } from '../registry/deprecatedOptions.js';
import type { Encoder } from '../contracts/encoder.js';

/** Runs `build` and returns what it built with the deprecation messages it reported, in order. */
export function recordDeprecations<T>(build: () => T): { value: T; warnings: string[] } {
  const warnings: string[] = [];
  const restore = setDeprecationHandler((message) => warnings.push(message));
  try {
    return { value: build(), warnings };
  } finally {
    restore();
  }
}

/**
 * What makes two encoders the same model: parameter count, output shape and
 * the output on `input` (build both under one seed so their weights match).
 */
export function encoderFingerprint(encoder: Encoder, input: tf.Tensor): { params: number; outputShape: number[]; output: number[] } {
  const symbolic = tf.input({ shape: encoder.inputShape, dtype: encoder.inputDtype });
  const model = tf.model({ inputs: symbolic, outputs: encoder.apply(symbolic) });
  const output = tf.tidy(() => Array.from((model.predict(input) as tf.Tensor).dataSync()));
  return { params: model.countParams(), outputShape: encoder.outputShape, output };
}

/** What building from a config's current and old spelling gave: each one's warnings, and whether the models are the same. */
export interface SpellingReport {
  currentWarnings: string[];
  oldWarnings: string[];
  /** Same parameter count, output shape and output values. */
  sameModel: boolean;
}

/**
 * Builds with `current` and with `old` (a deprecated spelling of the same
 * config) through `fingerprintOf` (build under one seed, then
 * `encoderFingerprint`) and reports both; a test expects
 * `{ currentWarnings: [], oldWarnings: [its warning], sameModel: true }`.
 */
export function spellingReport<C>(
  fingerprintOf: (config: C) => ReturnType<typeof encoderFingerprint>,
  current: C,
  old: C,
): SpellingReport {
  const now = recordDeprecations(() => fingerprintOf(current));
  const before = recordDeprecations(() => fingerprintOf(old));
  const sameModel =
    now.value.params === before.value.params &&
    JSON.stringify(now.value.outputShape) === JSON.stringify(before.value.outputShape) &&
    now.value.output.length === before.value.output.length &&
    now.value.output.every((value, i) => Object.is(value, before.value.output[i]));
  return { currentWarnings: now.warnings, oldWarnings: before.warnings, sameModel };
}
