import { MetricInputError } from '../errors.js';
import { describe } from '../util/validate.js';

/** Anything tensor-like: a TensorFlow.js tensor (or similar) with `arraySync()`. Duck-typed so this package needs no tensor library. */
export interface TensorLike {
  arraySync(): unknown;
  shape?: readonly number[];
}

/** An array, typed array or tensor-like value. */
export type ArrayOrTensor = readonly unknown[] | ArrayLike<number> | TensorLike;

function isTensorLike(value: unknown): value is TensorLike {
  return typeof value === 'object' && value !== null && typeof (value as TensorLike).arraySync === 'function';
}

/**
 * Plain (nested) arrays from an array, typed array or tensor-like value
 * (read with `arraySync()`; tensors with only `dataSync()` are read flat and
 * reshaped by their `shape`). The tensor is not disposed: the caller owns it.
 */
export function toArray(value: unknown, argument: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (isTensorLike(value)) {
    const out = value.arraySync();
    if (!Array.isArray(out)) throw new MetricInputError(argument, 'expected a tensor of rank 1 or more, got a scalar');
    return out;
  }
  const flat = value as { dataSync?: () => ArrayLike<number>; shape?: number[] } | null;
  if (flat && typeof flat.dataSync === 'function') {
    const data = Array.from(flat.dataSync());
    const shape = flat.shape ?? [data.length];
    if (shape.length === 1) return data;
    if (shape.length === 2) return Array.from({ length: shape[0] }, (_, i) => data.slice(i * shape[1], (i + 1) * shape[1]));
    throw new MetricInputError(argument, `expected a rank 1 or 2 tensor, got shape [${shape.join(', ')}]`);
  }
  throw new MetricInputError(argument, `expected an array or a tensor, got ${describe(value)}`);
}

/** Index of the largest entry of each row (first on ties), for turning logits or probabilities into labels. */
export function argmaxRows(rows: readonly (readonly number[])[]): number[] {
  return rows.map((row) => {
    let best = 0;
    for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
    return best;
  });
}
