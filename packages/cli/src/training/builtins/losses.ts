import { tf } from '@polyfuse/core';
import { trainingRegistry } from '../trainingRegistry.js';
import type { LossFunction } from '../contracts.js';

/**
 * `loss/cross-entropy`: mean softmax cross-entropy of integer targets, as
 * torch.nn.functional.cross_entropy (mean reduction) with optional label
 * smoothing (torch's definition: smoothed targets (1 - s) one-hot + s / C).
 */
trainingRegistry.register({
  kind: 'loss',
  name: 'cross-entropy',
  description: 'Softmax cross-entropy on class logits (torch.nn.functional.cross_entropy).',
  schema: { labelSmoothing: { type: 'number', default: 0, min: 0, max: 1, description: 'Label smoothing s in [0, 1].' } },
  create: (config: { labelSmoothing: number }): LossFunction => (targets, logits) =>
    tf.tidy(() => {
      const numClasses = logits.shape[logits.shape.length - 1];
      // oneHot as int32 then cast: float oneHot is missing on wasm.
      const oneHot = tf.oneHot(tf.cast(targets, 'int32'), numClasses).toFloat();
      const smoothed = config.labelSmoothing > 0 ? oneHot.mul(1 - config.labelSmoothing).add(config.labelSmoothing / numClasses) : oneHot;
      const logProbabilities = tf.logSoftmax(logits);
      return smoothed.mul(logProbabilities).sum(-1).neg().mean() as tf.Scalar;
    }),
});
