import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds where a bare package name points when imported from `fromDir`: the
 * nearest `node_modules/<name>` above it, then its `exports` entry for
 * import (or `main`, or `index.js`). Returns undefined when no folder above
 * has it. Node's own `import()` resolves from the importing file, which for a
 * plugin named in a config would be the CLI's install folder, not the project's.
 */
export function resolvePackage(name: string, fromDir: string): string | undefined {
  const [packageName, subpath] = splitSpecifier(name);
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const folder = path.join(dir, 'node_modules', packageName);
    const manifestFile = path.join(folder, 'package.json');
    if (existsSync(manifestFile)) return entryFile(folder, JSON.parse(readFileSync(manifestFile, 'utf8')), subpath);
    if (path.dirname(dir) === dir) return undefined;
  }
}

function splitSpecifier(name: string): [string, string] {
  const parts = name.split('/');
  const size = name.startsWith('@') ? 2 : 1;
  const rest = parts.slice(size).join('/');
  return [parts.slice(0, size).join('/'), rest ? `./${rest}` : '.'];
}

type Exports = string | { [key: string]: Exports } | null | undefined;

/** The file the package's `exports` (import, node or default condition), `main` or `index.js` names. */
function entryFile(folder: string, manifest: { exports?: Exports; main?: string }, subpath: string): string | undefined {
  if (manifest.exports !== undefined && manifest.exports !== null) {
    const exports = manifest.exports;
    const keyed = typeof exports === 'object' && Object.keys(exports).some((key) => key.startsWith('.'));
    const target = pickCondition(keyed ? (exports as Record<string, Exports>)[subpath] : subpath === '.' ? exports : undefined);
    return target === undefined ? undefined : path.join(folder, target);
  }
  if (subpath !== '.') return path.join(folder, subpath);
  return path.join(folder, manifest.main ?? 'index.js');
}

function pickCondition(value: Exports): string | undefined {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return undefined;
  for (const condition of ['import', 'node', 'default']) {
    const picked = pickCondition(value[condition]);
    if (picked !== undefined) return picked;
  }
  return undefined;
}
