import { tf, InputError, formatShape } from '@polyfuse/core';
import { checkClassTargets, checkFloat, checkNonNegative, checkTensor, toFloatTensor, type TensorLike } from '../validation/checks.js';
import { type Reduction } from './reduction.js';

/** Options shared by crossEntropyLoss and nllLoss. */
export interface ClassLossOptions<R extends Reduction = Reduction> {
  /** Rescaling weight per class, `[C]`, non-negative. */
  weight?: TensorLike;
  /** Target value that is ignored (contributes neither loss nor count); default -100. */
  ignoreIndex?: number;
  /** `'mean'` (default): weighted mean over non-ignored targets; `'sum'`; `'none'`. */
  reduction?: R;
}

/**
 * Negative log-likelihood with torch's layout and semantics, shared by
 * crossEntropyLoss (on log-softmax) and nllLoss: the class axis is axis 1
 * (`[N, C]`, `[N, C, d1, ...]`) or axis 0 for an unbatched `[C]` input;
 * targets are class indices of shape `[N, d1, ...]` (`[]` unbatched).
 *
 * `'mean'` divides by the summed class weight of the non-ignored targets, as
 * torch does (so with no weight it is the mean over non-ignored targets, and
 * NaN if every target is ignored, like torch). Label smoothing ε follows
 * torch 1.13's `cross_entropy`: `(1 - ε) nll + ε / C · smooth`, where
 * `smooth = -Σ_c w_c log p_c` per target, zero for ignored targets, reduced
 * with the same normaliser.
 *
 * The target is picked with a one-hot product rather than a gather, so the
 * gradient needs no scatter kernel (wasm lacks UnsortedSegmentSum).
 */
export function classLogProbLoss(
  lossName: string,
  input: tf.Tensor,
  target: tf.Tensor,
  options: ClassLossOptions,
  mode: Reduction,
  logProbabilities: (classLast: tf.Tensor) => tf.Tensor,
  labelSmoothing: number,
): tf.Tensor {
  checkTensor(input, `${lossName}: input`);
  checkTensor(target, `${lossName}: target`);
  checkFloat(input, `${lossName}: input`);
  if (input.rank < 1) {
    throw new InputError(`${lossName}: input must have rank >= 1 ([C], [N, C] or [N, C, d1, ...]), got a scalar.`);
  }
  const classAxis = input.rank === 1 ? 0 : 1;
  const numClasses = input.shape[classAxis] as number;
  const expectedTarget = input.shape.filter((_, axis) => axis !== classAxis);
  if (!tf.util.arraysEqual(target.shape, expectedTarget)) {
    throw new InputError(
      `${lossName}: target must have shape ${formatShape(expectedTarget)} (input ${formatShape(input.shape)} without ` +
        `its class axis ${classAxis}), got ${formatShape(target.shape)}.`,
    );
  }
  const ignoreIndex = options.ignoreIndex ?? -100;
  if (!Number.isInteger(ignoreIndex)) {
    throw new InputError(`${lossName}: options.ignoreIndex must be an integer, got ${ignoreIndex}.`);
  }
  const indices = checkClassTargets(target, `${lossName}: target`, numClasses, ignoreIndex);
  let weight: { tensor: tf.Tensor; owned: boolean } | undefined;
  try {
    weight = options.weight === undefined ? undefined : toFloatTensor(options.weight, `${lossName}: options.weight`);
    if (weight) {
      if (weight.tensor.rank !== 1 || weight.tensor.shape[0] !== numClasses) {
        throw new InputError(
          `${lossName}: options.weight must have shape [${numClasses}] (one weight per class), got ${formatShape(weight.tensor.shape)}.`,
        );
      }
      checkNonNegative(weight.tensor, `${lossName}: options.weight`);
    }
    return tf.tidy(() => {
      const perm = input.rank >= 3 ? [0, ...Array.from({ length: input.rank - 2 }, (_, i) => i + 2), 1] : undefined;
      const classLast = perm ? input.transpose(perm) : input;
      const logp = logProbabilities(classLast);
      const valid = indices.notEqual(ignoreIndex).toFloat();
      // oneHot on wasm must be int32 then cast; ignored rows are masked to zero.
      const safeIndices = tf.where(indices.equal(ignoreIndex), tf.zerosLike(indices), indices);
      const picked = tf.oneHot(safeIndices.flatten(), numClasses).toFloat().reshape(classLast.shape).mul(valid.expandDims(-1));
      const classWeight = weight ? weight.tensor : tf.ones([numClasses]);
      const weighted = weight !== undefined;
      const targetWeight = picked.mul(classWeight).sum(-1);
      const nll = picked.mul(classWeight).mul(logp).sum(-1).neg();
      const smooth = labelSmoothing > 0 ? logp.mul(classWeight).sum(-1).neg().mul(valid) : undefined;
      const combine = (nllPart: tf.Tensor, smoothPart: tf.Tensor | undefined): tf.Tensor =>
        smoothPart ? nllPart.mul(1 - labelSmoothing).add(smoothPart.mul(labelSmoothing / numClasses)) : nllPart;
      switch (mode) {
        case 'none':
          return combine(nll, smooth);
        case 'sum':
          return combine(nll.sum(), smooth?.sum());
        case 'mean': {
          const normaliser = targetWeight.sum();
          return combine(nll.sum().div(normaliser), smooth?.sum().div(weighted ? normaliser : valid.sum()));
        }
      }
    });
  } finally {
    if (weight?.owned) weight.tensor.dispose();
    if (indices !== target) indices.dispose();
  }
}
