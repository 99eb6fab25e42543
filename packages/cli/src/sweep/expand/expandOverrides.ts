import { ConfigError } from '@polyfuse/core';

/** The config paths k-fold runs set: how many folds, and the held-out one. */
export const foldPaths = { folds: 'data.split.folds', fold: 'data.split.fold' } as const;

/**
 * The override set of every run, in plan order: first the cartesian product
 * of `grid` (in key order, the last key varying fastest), then each entry of
 * `runs` appended as it is; with `folds: K` every set becomes K runs in a row
 * (fold 0 .. K-1, the fold varying fastest), each setting `data.split.folds`
 * and `data.split.fold`. A sweep with only `folds` runs the base config K
 * times. `set` goes first into every run (a run's own value of the same
 * path wins). The same inputs always give the same list.
 */
export function expandOverrides(input: { set?: Record<string, unknown>; grid?: Record<string, unknown[]>; runs?: Record<string, unknown>[]; folds?: number }, at = 'sweep'): Record<string, unknown>[] {
  const gridEntries = Object.entries(input.grid ?? {});
  for (const [key, values] of gridEntries) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new ConfigError(`${at}.grid.${key} must be a non-empty list of values, got ${JSON.stringify(values)}.`);
    }
  }
  if (input.grid !== undefined && gridEntries.length === 0) {
    throw new ConfigError(`${at}.grid is empty: give each config path a list of values (e.g. training.seed: [1, 2]), or remove grid and list runs.`);
  }
  const fromGrid = gridEntries.length === 0 ? [] : gridEntries.reduce<Record<string, unknown>[]>((sets, [key, values]) => sets.flatMap((set) => values.map((value) => ({ ...set, [key]: value }))), [{}]);
  (input.runs ?? []).forEach((run, i) => {
    if (typeof run !== 'object' || run === null || Array.isArray(run)) throw new ConfigError(`${at}.runs[${i}] must be a mapping of config path to value, got ${JSON.stringify(run)}.`);
  });
  let sets = [...fromGrid, ...(input.runs ?? [])];
  if (sets.length === 0) {
    if (input.folds === undefined) throw new ConfigError(`${at} has no runs: give a grid (config path: [values]), a list of runs, or folds.`);
    sets = [{}];
  }
  if (input.set) sets = sets.map((own) => ({ ...input.set, ...own }));
  if (input.folds === undefined) return sets;
  for (const [i, set] of sets.entries()) {
    for (const path of Object.values(foldPaths)) {
      if (path in set) throw new ConfigError(`${at}: run ${i} sets ${path}, which folds: ${input.folds} sets for every run; remove one of them.`);
    }
  }
  return sets.flatMap((set) => Array.from({ length: input.folds! }, (_, fold) => ({ ...set, [foldPaths.folds]: input.folds, [foldPaths.fold]: fold })));
}
