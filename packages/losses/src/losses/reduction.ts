import { tf, ConfigError } from '@polyfuse/core';

/** How per-element losses are combined, as in `torch.nn.functional`. */
export type Reduction = 'mean' | 'sum' | 'none';

export const reductions: readonly Reduction[] = ['mean', 'sum', 'none'];

/** Throws a ConfigError naming `name` unless `value` is one of `allowed`. */
export function checkReduction<R extends string>(value: unknown, allowed: readonly R[], name = 'reduction'): R {
  if (!allowed.includes(value as R)) {
    throw new ConfigError(`${name} must be one of ${allowed.map((r) => `'${r}'`).join(', ')}, got ${JSON.stringify(value)}.`);
  }
  return value as R;
}

/** `mean` averages over every element, `sum` adds them, `none` returns them unchanged. */
export function reduce(loss: tf.Tensor, reduction: Reduction): tf.Tensor {
  switch (reduction) {
    case 'mean':
      return tf.mean(loss);
    case 'sum':
      return tf.sum(loss);
    case 'none':
      return loss;
  }
}

/** A scalar for `mean`/`sum` (and `batchmean`), the per-element tensor for `none`. */
export type LossOutput<R extends string> = R extends 'none' ? tf.Tensor : tf.Scalar;

/** Options shared by losses with a `reduction`. */
export interface ReductionOptions<R extends Reduction = Reduction> {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: R;
}
