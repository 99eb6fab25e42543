import { createHash } from 'node:crypto';

/** Longest id; file systems allow 255 bytes per name, and paths stay readable. */
const maxIdLength = 96;

/**
 * Folder names of the runs of a sweep, one per override set:
 * `<index>-<label>=<value>-...` with the index zero-padded (at least 4
 * digits) and only the overrides whose value differs between runs
 * (`0003-fusion=gated-seed=2`). A path is labelled by its last segment other
 * than `name` and `config` (`model.fusion.name` is `fusion`,
 * `optimizer.config.learningRate` is `learningRate`), or by the whole path
 * where two labels would clash. An object value shows its `name` (or a short
 * hash of its JSON; the report's table shows its config too), a list its items joined by `+`. Characters outside
 * `A-Z a-z 0-9 . _ + = -` become `_`. The index keeps ids unique; the same
 * sets in the same order always give the same ids.
 */
export function runIds(sets: Record<string, unknown>[]): string[] {
  const varying = varyingPaths(sets);
  const labels = pathLabels(varying);
  const width = Math.max(4, String(Math.max(sets.length - 1, 0)).length);
  return sets.map((set, index) => {
    const parts = varying.filter((path) => path in set).map((path) => `${labels.get(path)}=${valueText(set[path])}`);
    const id = [String(index).padStart(width, '0'), ...parts].join('-').replace(/[^A-Za-z0-9._+=-]/g, '_');
    return id.length > maxIdLength ? id.slice(0, maxIdLength) : id;
  });
}

/** The override paths whose value is not the same in every set (absent counts as a value), in first-seen order. */
export function varyingPaths(sets: Record<string, unknown>[]): string[] {
  const paths = [...new Set(sets.flatMap((set) => Object.keys(set)))];
  return paths.filter((path) => new Set(sets.map((set) => (path in set ? JSON.stringify(set[path]) : '<absent>'))).size > 1);
}

/** A short label per path; whole paths where short ones would clash. */
export function pathLabels(paths: string[]): Map<string, string> {
  const short = (path: string): string => [...path.split('.')].reverse().find((s) => s !== 'name' && s !== 'config') ?? path;
  const counts = new Map<string, number>();
  for (const path of paths) counts.set(short(path), (counts.get(short(path)) ?? 0) + 1);
  return new Map(paths.map((path) => [path, counts.get(short(path))! > 1 ? path : short(path)]));
}

/** How a value reads in an id or a table cell. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return value.map(valueText).join('+');
  if (typeof value === 'object') {
    const name = (value as { name?: unknown }).name;
    return typeof name === 'string' ? name : createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, 6);
  }
  return String(value);
}
