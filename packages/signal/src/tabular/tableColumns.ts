import { InputError } from '@polyfuse/core';

/**
 * Reads one row of a table field as a list of cells, in `columns` order:
 * an object `{ age: 41, sex: "f" }` is read by column name (absent = missing),
 * an array `[41, "f"]` by position (its length must match). A scalar is a
 * one-column row.
 */
export function rowCells(value: unknown, columns: string[], what: string): unknown[] {
  if (Array.isArray(value)) {
    if (value.length !== columns.length) {
      throw new InputError(`${what}: expected ${columns.length} values (${columns.join(', ')}), got an array of ${value.length}.`);
    }
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return columns.map((c) => record[c]);
  }
  if (columns.length === 1) return [value];
  throw new InputError(`${what}: expected an object with columns ${columns.join(', ')} or an array of ${columns.length} values, got ${JSON.stringify(value)}.`);
}
