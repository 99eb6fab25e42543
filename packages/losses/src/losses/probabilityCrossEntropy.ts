import { tf, InputError, formatShape } from '@polyfuse/core';
import { checkNonNegative, toFloatTensor, type TensorLike } from '../validation/checks.js';
import type { Reduction } from './reduction.js';

/**
 * Cross-entropy against class probabilities (soft labels, mixup,
 * distillation), torch 1.13's `cross_entropy` when `target` has `input`'s
 * shape: with `t = (1 − ε) target + ε / C`,
 * `loss_n = −Σ_c w_c t_c log softmax(input)_c` over the class axis (axis 1);
 * `'mean'` divides the sum by the number of samples `N · d1 · ...` (not by
 * the weights, unlike class-index targets). Each target row should sum to 1.
 */
export function probabilityCrossEntropy(
  input: tf.Tensor,
  target: tf.Tensor,
  weightOption: TensorLike | undefined,
  labelSmoothing: number,
  mode: Reduction,
): tf.Tensor {
  if (target.dtype !== 'float32') {
    throw new InputError(`crossEntropyLoss: a target of the input's shape holds class probabilities and must be float32, got ${target.dtype}.`);
  }
  const classAxis = input.rank === 1 ? 0 : 1;
  const numClasses = input.shape[classAxis] as number;
  const weight = weightOption === undefined ? undefined : toFloatTensor(weightOption, 'crossEntropyLoss: options.weight');
  try {
    if (weight) {
      if (weight.tensor.rank !== 1 || weight.tensor.shape[0] !== numClasses) {
        throw new InputError(
          `crossEntropyLoss: options.weight must have shape [${numClasses}] (one weight per class), got ${formatShape(weight.tensor.shape)}.`,
        );
      }
      checkNonNegative(weight.tensor, 'crossEntropyLoss: options.weight');
    }
    return tf.tidy(() => {
      const perm = input.rank >= 3 ? [0, ...Array.from({ length: input.rank - 2 }, (_, i) => i + 2), 1] : undefined;
      const logp = tf.logSoftmax(perm ? input.transpose(perm) : input, -1);
      let t = perm ? target.transpose(perm) : target;
      if (labelSmoothing > 0) t = t.mul(1 - labelSmoothing).add(labelSmoothing / numClasses);
      let product = logp.mul(t);
      if (weight) product = product.mul(weight.tensor);
      const perSample = product.sum(-1).neg();
      switch (mode) {
        case 'none':
          return perSample;
        case 'sum':
          return perSample.sum();
        case 'mean':
          return perSample.sum().div(Math.max(perSample.size, 1));
      }
    });
  } finally {
    if (weight?.owned) weight.tensor.dispose();
  }
}
