/**
 * Dotted config paths (`optimizer.config.learningRate`), the keys of a
 * sweep's overrides. A segment is an object key; lists are replaced whole.
 */

/** Sets `path` in `target` (a plain object, changed in place), creating the objects on the way. */
export function setConfigPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = structuredClone(value);
}

/** The value at `path`, or undefined when a segment is missing. */
export function getConfigPath(source: unknown, path: string): unknown {
  let node = source;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Every path of an object, objects and leaves alike (`model`, `model.fusion`, `model.fusion.name`). */
export function listConfigPaths(source: unknown, prefix = ''): string[] {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return [];
  return Object.entries(source as Record<string, unknown>).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...listConfigPaths(value, path)];
  });
}

/** `base` with each override applied in key order, as a new object. */
export function applyOverrides(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const config = structuredClone(base);
  for (const [path, value] of Object.entries(overrides)) setConfigPath(config, path, value);
  return config;
}
