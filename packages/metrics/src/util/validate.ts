import { MetricInputError } from '../errors.js';

/** Throws unless `value` is an array (plain or typed) with at least one element. */
export function assertNonEmptyArray(value: unknown, argument: string): asserts value is ArrayLike<unknown> {
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new MetricInputError(argument, `expected an array, got ${describe(value)}`);
  }
  if ((value as ArrayLike<unknown>).length === 0) {
    throw new MetricInputError(argument, 'expected at least one element, got an empty array');
  }
}

/** Throws unless both arrays have the same length. */
export function assertSameLength(a: ArrayLike<unknown>, aName: string, b: ArrayLike<unknown>, bName: string): void {
  if (a.length !== b.length) {
    throw new MetricInputError(bName, `expected ${a.length} elements (the length of ${aName}), got ${b.length}`);
  }
}

/** Throws unless every element is a finite number. */
export function assertFiniteNumbers(values: ArrayLike<unknown>, argument: string): asserts values is ArrayLike<number> {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new MetricInputError(`${argument}[${i}]`, `expected a finite number, got ${describe(v)}`);
    }
  }
}

/** Throws unless `value` is one of `allowed`. */
export function assertOneOf<T>(value: unknown, allowed: readonly T[], argument: string): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new MetricInputError(
      argument,
      `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`,
    );
  }
}

/** Short human description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}
