import { tf } from '@polyfuse/core';
import { checkFiniteNumber, checkFloat, checkTensor } from '../validation/checks.js';
import { classLogProbLoss, type ClassLossOptions } from './classLogProbLoss.js';
import { probabilityCrossEntropy } from './probabilityCrossEntropy.js';
import { checkReduction, reductions, type LossOutput, type Reduction } from './reduction.js';

export interface CrossEntropyLossOptions<R extends Reduction = Reduction> extends ClassLossOptions<R> {
  /** Label smoothing ε in [0, 1]; default 0. */
  labelSmoothing?: number;
}

/**
 * Cross-entropy of logits against integer class targets, exactly
 * `torch.nn.functional.cross_entropy` (torch 1.13) with class-index targets:
 * `input` is `[N, C]` (or `[N, C, d1, ...]`, class axis 1 as in torch, or
 * unbatched `[C]`), `target` is `[N]` (or `[N, d1, ...]`) of indices in
 * [0, C) or `ignoreIndex`. Defaults: no class weight, `ignoreIndex = -100`,
 * `labelSmoothing = 0`, reduction `'mean'` = Σ w_{y_i} loss_i / Σ w_{y_i}
 * over non-ignored targets. Uses a stable log-softmax, so logits of magnitude
 * 100 give finite values and gradients. For class-last `[B, T, V]` sequence
 * logits use `sequenceCrossEntropy`.
 *
 * A float `target` of the same shape as `logits` holds class probabilities
 * (torch's other target form): see probabilityCrossEntropy for that formula.
 */
export function crossEntropyLoss<R extends Reduction = 'mean'>(
  logits: tf.Tensor,
  target: tf.Tensor,
  options: CrossEntropyLossOptions<R> = {},
): LossOutput<R> {
  const mode = checkReduction(options.reduction ?? 'mean', reductions, 'crossEntropyLoss: options.reduction');
  const labelSmoothing = checkFiniteNumber(options.labelSmoothing ?? 0, 'crossEntropyLoss: options.labelSmoothing', {
    min: 0,
    max: 1,
  });
  checkTensor(logits, 'crossEntropyLoss: logits');
  checkTensor(target, 'crossEntropyLoss: target');
  checkFloat(logits, 'crossEntropyLoss: logits');
  if (logits.rank >= 1 && tf.util.arraysEqual(logits.shape, target.shape)) {
    return probabilityCrossEntropy(logits, target, options.weight, labelSmoothing, mode) as LossOutput<R>;
  }
  return classLogProbLoss(
    'crossEntropyLoss',
    logits,
    target,
    options,
    mode,
    (classLast) => tf.logSoftmax(classLast, -1),
    labelSmoothing,
  ) as LossOutput<R>;
}
