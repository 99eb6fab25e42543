import { tf, InputError, formatShape } from '@polyfuse/core';

/**
 * Reads a multi-label batch: `logits_<head>` `[B, C]` and a 0/1 float target
 * `[B, C]`. Returns both as flat row-major arrays (copies) and C.
 */
export function readMultilabel(name: string, output: string, target: string, prediction: tf.Tensor, y: tf.Tensor): { logits: Float32Array; labels: Uint8Array; classes: number } {
  if (prediction.rank !== 2 || y.rank !== 2 || prediction.shape[0] !== y.shape[0] || prediction.shape[1] !== y.shape[1]) {
    throw new InputError(`metric ${name}: expected ${output} [B, C] and a multi-hot ${target} [B, C], got ${formatShape(prediction.shape)} and ${formatShape(y.shape)}.`);
  }
  const values = y.dataSync();
  const labels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== 0 && values[i] !== 1) throw new InputError(`metric ${name}: ${target} must hold 0 or 1, got ${values[i]} (is it a multilabel target?).`);
    labels[i] = values[i];
  }
  return { logits: Float32Array.from(prediction.dataSync()), labels, classes: prediction.shape[1] as number };
}
