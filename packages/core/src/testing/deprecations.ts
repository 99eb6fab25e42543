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
