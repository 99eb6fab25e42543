/**
 * Finite numbers of a manifest value: an array, a single number, or (CSV) a
 * string of numbers separated by spaces, semicolons or commas, optionally in
 * brackets. Undefined when any part is not a finite number.
 */
export function parseNumbers(raw: unknown): number[] | undefined {
  const list = Array.isArray(raw)
    ? raw
    : typeof raw === 'string'
      ? raw.trim().replace(/^\[|\]$/g, '').split(/[\s;,]+/).filter((s) => s !== '').map(Number)
      : typeof raw === 'number'
        ? [raw]
        : undefined;
  if (!list || list.some((v) => typeof v !== 'number' || !Number.isFinite(v))) return undefined;
  return list as number[];
}
