/**
 * Whether a manifest value counts as missing: null, undefined, NaN, an empty
 * or blank string, or one of the usual placeholders ("NA", "NaN", "null", "?").
 */
export function isMissing(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (typeof value === 'string') return /^\s*$|^(na|nan|n\/a|null|none|\?)$/i.test(value.trim());
  return false;
}
