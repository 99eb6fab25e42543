import { ConfigError } from '@polyfuse/core';

/**
 * Class names of a label in index order: the configured list, or else the
 * distinct values seen, sorted numerically when every value is an integer and
 * alphabetically otherwise (so `"10"` sorts after `"9"`).
 */
export function labelClasses(values: unknown[], configured: (string | number)[] | undefined, at: string): string[] {
  if (configured) return configured.map(String);
  const distinct = [...new Set(values.filter((v) => v !== undefined && v !== null && v !== '').map(String))];
  if (distinct.length < 2) {
    throw new ConfigError(`${at}: found ${distinct.length} distinct class value(s) (${distinct.join(', ') || 'none'}); a classifier needs at least 2. Check the label field name.`);
  }
  const allIntegers = distinct.every((v) => /^-?\d+$/.test(v));
  return allIntegers ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort();
}
