import { ConfigError } from '@polyfuse/core';
import { configFromObject, resolvedConfig } from '../../config/loadConfig.js';
import type { RunConfig } from '../../config/runConfig.js';
import { nearestName } from '../../program/nearestName.js';
import { applyOverrides, getConfigPath, listConfigPaths } from './configPath.js';
import type { TrainSweepFile } from '../sweepFile.js';

/**
 * Checks every run's overrides before any run starts: each path must lead
 * into the run config (its parent must be a section of the base config, with
 * defaults filled, or of an earlier override of the same run), and the
 * changed config must validate like any config file. Errors name the sweep
 * file, the run, the path and the nearest valid path.
 */
export async function checkOverrides(sweep: TrainSweepFile, runs: { id: string; overrides: Record<string, unknown> }[]): Promise<void> {
  let base: RunConfig;
  try {
    base = await configFromObject(sweep.base.config, sweep.base.baseDir, sweep.name);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${sweep.file}: the base config ${sweep.base.file ?? '(inline)'} is invalid: ${error.message}`, { cause: error });
    throw error;
  }
  const known = new Set([...listConfigPaths(sweep.base.config), ...listConfigPaths(JSON.parse(JSON.stringify(resolvedConfig(base))))]);
  for (const run of runs) {
    for (const path of Object.keys(run.overrides)) {
      const parent = path.split('.').slice(0, -1).join('.');
      const parentKnown = parent === '' || known.has(parent) || Object.entries(run.overrides).some(([p, value]) => p !== path && isObject(p === parent ? value : parent.startsWith(`${p}.`) ? getConfigPath(value, parent.slice(p.length + 1)) : undefined));
      if (path === '' || path.split('.').some((segment) => segment === '') || !parentKnown) {
        throw new ConfigError(`${sweep.file}: run ${run.id} overrides '${path}', which is not a path of the run config (nearest valid path: '${nearestPath(path, known)}').`);
      }
    }
    try {
      await configFromObject(applyOverrides(sweep.base.config, run.overrides), sweep.base.baseDir, sweep.name);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const unknown = Object.keys(run.overrides).filter((p) => !known.has(p));
      const hint = unknown.map((p) => ` '${p}' is new to the config; nearest valid path: '${nearestPath(p, known)}'.`).join('');
      throw new ConfigError(`${sweep.file}: run ${run.id} (${describeOverrides(run.overrides)}): ${error.message}${hint}`, { cause: error });
    }
  }
}

/** The known path nearest to `path` among those as deep as it (so a typo in the last segment finds its sibling). */
function nearestPath(path: string, known: Set<string>): string {
  const depth = path.split('.').length;
  const sameDepth = [...known].filter((p) => p.split('.').length === depth);
  return nearestName(path, sameDepth.length > 0 ? sameDepth : [...known]) ?? '(none)';
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `path=value, ...` for messages. */
export function describeOverrides(overrides: Record<string, unknown>): string {
  return Object.entries(overrides).map(([p, v]) => `${p}=${JSON.stringify(v)}`).join(', ') || 'no overrides';
}
