import { tf, InputError, ConfigError, formatShape } from '@polyfuse/core';

/** A tensor argument, or plain numbers for small option tensors such as class weights. */
export type TensorLike = tf.Tensor | number | readonly number[];

/** Throws an InputError naming `name` unless `value` is a tf.Tensor. */
export function checkTensor(value: unknown, name: string): asserts value is tf.Tensor {
  if (!(value instanceof tf.Tensor)) {
    throw new InputError(`${name} must be a tf.Tensor, got ${describeValue(value)}.`);
  }
  if (value.isDisposed) throw new InputError(`${name} is a disposed tensor.`);
}

/** Throws unless `a` and `b` have exactly the same shape. */
export function checkSameShape(a: tf.Tensor, aName: string, b: tf.Tensor, bName: string): void {
  if (!tf.util.arraysEqual(a.shape, b.shape)) {
    throw new InputError(
      `${bName} must have the same shape as ${aName} (${formatShape(a.shape)}), got ${formatShape(b.shape)}.`,
    );
  }
}

/** Throws unless `x` has a rank in `ranks`. */
export function checkRank(x: tf.Tensor, name: string, ranks: readonly number[], meaning = ''): void {
  if (!ranks.includes(x.rank)) {
    const expected = ranks.map((r) => `rank ${r}`).join(' or ');
    throw new InputError(`${name} must have ${expected}${meaning ? ` (${meaning})` : ''}, got shape ${formatShape(x.shape)}.`);
  }
}

/** Throws unless `x` is float32 (losses differentiate their inputs). */
export function checkFloat(x: tf.Tensor, name: string): void {
  if (x.dtype !== 'float32') {
    throw new InputError(`${name} must be a float32 tensor, got dtype ${x.dtype}.`);
  }
}

/** Converts a number, array or tensor option into a float32 tensor (caller disposes when it created it). */
export function toFloatTensor(value: TensorLike, name: string): { tensor: tf.Tensor; owned: boolean } {
  if (value instanceof tf.Tensor) {
    checkTensor(value, name);
    return { tensor: value.dtype === 'float32' ? value : value.toFloat(), owned: value.dtype !== 'float32' };
  }
  if (typeof value === 'number') {
    checkFiniteNumber(value, name);
    return { tensor: tf.scalar(value), owned: true };
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkFiniteNumber(v, `${name}[${i}]`));
    return { tensor: tf.tensor1d(value as number[], 'float32'), owned: true };
  }
  throw new InputError(`${name} must be a tf.Tensor, a number or an array of numbers, got ${describeValue(value)}.`);
}

/** Throws a ConfigError unless `value` is a finite number (optionally within bounds). */
export function checkFiniteNumber(value: unknown, name: string, bounds: { min?: number; max?: number; exclusiveMin?: number } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(`${name} must be a finite number, got ${describeValue(value)}.`);
  }
  if (bounds.min !== undefined && value < bounds.min) throw new ConfigError(`${name} must be >= ${bounds.min}, got ${value}.`);
  if (bounds.max !== undefined && value > bounds.max) throw new ConfigError(`${name} must be <= ${bounds.max}, got ${value}.`);
  if (bounds.exclusiveMin !== undefined && value <= bounds.exclusiveMin) {
    throw new ConfigError(`${name} must be > ${bounds.exclusiveMin}, got ${value}.`);
  }
  return value;
}

/** Throws unless every element of `x` is >= 0 (class and sample weights). Reads `x` synchronously. */
export function checkNonNegative(x: tf.Tensor, name: string): void {
  const values = x.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0)) {
      throw new InputError(`${name} must hold finite non-negative values, got ${values[i]} at flat index ${i}.`);
    }
  }
}

/**
 * Reads integer class targets, checks each is in [0, numClasses) or equal to
 * `ignoreIndex`, and returns them as an int32 tensor (a new one when `target`
 * was float). Reading the targets is cheap next to the forward pass, and it is
 * the only way to name a bad index instead of silently producing a wrong loss.
 */
export function checkClassTargets(
  target: tf.Tensor,
  name: string,
  numClasses: number,
  ignoreIndex: number | undefined,
): tf.Tensor {
  const values = target.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v)) {
      throw new InputError(`${name} must hold integer class indices, got ${v} at flat index ${i}.`);
    }
    if ((v < 0 || v >= numClasses) && v !== ignoreIndex) {
      const ignore = ignoreIndex === undefined ? '' : ` or the ignore index ${ignoreIndex}`;
      throw new InputError(
        `${name} holds class index ${v} at flat index ${i}; expected 0..${numClasses - 1}${ignore}.`,
      );
    }
  }
  return target.dtype === 'int32' ? target : target.toInt();
}

/** Short description of an unexpected value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (value instanceof tf.Tensor) return `a tensor of shape ${formatShape(value.shape)}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value) ?? String(value);
}

/** Throws unless `x` broadcasts to exactly `shape` (numpy rules). */
export function checkBroadcastsTo(x: tf.Tensor, name: string, shape: readonly number[], shapeName: string): void {
  const ok =
    x.rank <= shape.length &&
    x.shape.every((d, i) => {
      const other = shape[shape.length - x.rank + i];
      return d === 1 || d === other;
    });
  if (!ok) {
    throw new InputError(
      `${name} of shape ${formatShape(x.shape)} does not broadcast to ${shapeName}'s shape ${formatShape(shape)}.`,
    );
  }
}
