import { ConfigError, SeededRandom } from '@polyfuse/core';
import type { SplitSpec } from '../schema/datasetSpec.js';
import type { SampleIssue } from '../manifest/manifestRow.js';
import type { SampleRecord } from '../schema/readSample.js';

export type SplitName = 'train' | 'validation' | 'test';
export const splitNames: readonly SplitName[] = ['train', 'validation', 'test'];

/** Samples per split, in manifest order. */
export type Splits = Record<SplitName, SampleRecord[]>;

const defaultNames: Record<SplitName, string[]> = {
  train: ['train', 'training'],
  validation: ['val', 'valid', 'validation', 'dev'],
  test: ['test', 'testing'],
};

/**
 * Divides samples into train / validation / test. With `spec.field`, each
 * sample's field decides (unknown values are issues); otherwise a seeded
 * random draw takes `fractions` of the samples, per class of `stratify` when
 * set (like sklearn's `train_test_split(stratify=...)`: each class contributes
 * `round(fraction * classCount)` samples). Within a split, manifest order is kept.
 * Only class targets can stratify: `targetTypes` (type per label) is checked for that.
 * With `spec.folds`, k-fold cross-validation holds out fold `spec.fold` (see `dealFolds`
 * and `SplitSpec.folds` for which split it becomes).
 */
export function splitSamples(
  records: SampleRecord[],
  spec: SplitSpec = {},
  seed = 0,
  source = '<manifest>',
  targetTypes: Record<string, string> = {},
): { splits: Splits; issues: SampleIssue[] } {
  const stratifyType = spec.stratify === undefined ? undefined : targetTypes[spec.stratify];
  if (stratifyType !== undefined && stratifyType !== 'class') {
    throw new ConfigError(`split.stratify: only class targets can stratify a split; label '${spec.stratify}' is a ${stratifyType} target.`);
  }
  const issues: SampleIssue[] = [];
  const splits: Splits = { train: [], validation: [], test: [] };
  const rng = new SeededRandom(spec.seed ?? seed);
  if (spec.field) {
    const names = { ...defaultNames, ...spec.names };
    const lookup = new Map<string, SplitName>();
    for (const split of splitNames) for (const n of names[split] ?? []) lookup.set(n.toLowerCase(), split);
    for (const record of records) {
      const split = record.split === undefined ? undefined : lookup.get(record.split.toLowerCase());
      if (!split) {
        issues.push({
          source,
          line: record.line,
          id: record.id,
          field: spec.field,
          message: `split ${JSON.stringify(record.split ?? null)} is not one of ${[...lookup.keys()].join(', ')}.`,
        });
        continue;
      }
      splits[split].push(record);
    }
    if (spec.folds !== undefined) {
      // The field's test split is fixed; the folds divide the rest, and the held-out fold validates.
      const dealt = dealFolds([...splits.train, ...splits.validation].sort((a, b) => a.line - b.line), spec.folds, spec.stratify, rng, spec.fold ?? 0);
      return { splits: { train: dealt.others, validation: dealt.heldOut, test: splits.test }, issues };
    }
    const heldOut = spec.fractions?.validation ?? 0;
    if (splits.validation.length === 0 && heldOut > 0) {
      const drawn = draw(splits.train, { validation: heldOut, test: 0 }, spec.stratify, rng);
      splits.train = drawn.train;
      splits.validation = drawn.validation;
    }
    return { splits, issues };
  }
  if (spec.folds !== undefined) {
    const dealt = dealFolds(records, spec.folds, spec.stratify, rng, spec.fold ?? 0);
    const rest = draw(dealt.others, { validation: spec.fractions?.validation ?? 0.1, test: 0 }, spec.stratify, rng);
    return { splits: { train: rest.train, validation: rest.validation, test: dealt.heldOut }, issues };
  }
  const fractions = { validation: spec.fractions?.validation ?? 0.1, test: spec.fractions?.test ?? 0 };
  if (fractions.validation + fractions.test >= 1) {
    throw new ConfigError(`split.fractions: validation + test must be below 1, got ${fractions.validation + fractions.test}.`);
  }
  return { splits: draw(records, fractions, spec.stratify, rng), issues };
}

function draw(records: SampleRecord[], fractions: { validation: number; test: number }, stratify: string | undefined, rng: SeededRandom): Splits {
  const groups = new Map<string, number[]>();
  records.forEach((r, i) => {
    const key = stratify ? String(r.targets[stratify]) : '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  });
  const assigned = new Array<SplitName>(records.length).fill('train');
  for (const key of [...groups.keys()].sort()) {
    const indices = rng.shuffle(groups.get(key)!);
    const nValidation = Math.round(fractions.validation * indices.length);
    const nTest = Math.round(fractions.test * indices.length);
    indices.slice(0, nValidation).forEach((i) => (assigned[i] = 'validation'));
    indices.slice(nValidation, nValidation + nTest).forEach((i) => (assigned[i] = 'test'));
  }
  const splits: Splits = { train: [], validation: [], test: [] };
  records.forEach((r, i) => splits[assigned[i]].push(r));
  return splits;
}

/**
 * k-fold assignment, like scikit-learn's `StratifiedKFold(shuffle=True)` in
 * spirit: each class of `stratify` (one group without it), in sorted class
 * order, is shuffled with the seeded generator and dealt round-robin into the
 * folds, the deal continuing from class to class, so every fold keeps the
 * class proportions and fold sizes differ by at most one. The deal depends on
 * the seed only, so the K runs of a sweep (fold 0 .. K-1) see disjoint
 * held-out folds that together cover every sample once. Manifest order is kept within each part.
 */
export function dealFolds(records: SampleRecord[], folds: number, stratify: string | undefined, rng: SeededRandom, fold: number): { heldOut: SampleRecord[]; others: SampleRecord[] } {
  if (!Number.isInteger(folds) || folds < 2) throw new ConfigError(`split.folds must be an integer >= 2, got ${folds}.`);
  if (!Number.isInteger(fold) || fold < 0 || fold >= folds) throw new ConfigError(`split.fold must be an integer from 0 to ${folds - 1}, got ${fold}.`);
  if (records.length < folds) throw new ConfigError(`split.folds: ${folds} folds need at least ${folds} samples, got ${records.length}.`);
  const groups = new Map<string, number[]>();
  records.forEach((r, i) => {
    const key = stratify ? String(r.targets[stratify]) : '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  });
  const foldOf = new Array<number>(records.length).fill(0);
  let dealt = 0;
  for (const key of [...groups.keys()].sort()) {
    for (const i of rng.shuffle(groups.get(key)!)) foldOf[i] = dealt++ % folds;
  }
  return { heldOut: records.filter((_, i) => foldOf[i] === fold), others: records.filter((_, i) => foldOf[i] !== fold) };
}
