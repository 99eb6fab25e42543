import path from 'node:path';
import type { DatasetSpec } from '@polyfuse/data';
import type { DataConfig } from './runConfig.js';

/**
 * The config's `data` section as @polyfuse/data's DatasetSpec: the same
 * fields, with the manifest and cache paths made absolute (they are relative
 * to the config file) and the run's seed.
 */
export function toDatasetSpec(data: DataConfig, baseDir: string, seed: number): DatasetSpec {
  return {
    manifest: path.resolve(baseDir, data.manifest),
    ...(data.format ? { format: data.format } : {}),
    modalities: Object.fromEntries(
      Object.entries(data.modalities).map(([m, spec]) => [m, { field: spec.field, type: spec.type, ...(spec.columns ? { columns: spec.columns } : {}), preprocessor: spec.preprocessor, required: spec.required }]),
    ),
    labels: Object.fromEntries(
      Object.entries(data.labels).map(([name, label]) => [
        name,
        {
          field: label.field,
          type: label.type,
          ...(label.classes ? { classes: label.classes } : {}),
          ...(label.size !== undefined ? { size: label.size } : {}),
          ...(label.standardize !== undefined ? { standardize: label.standardize } : {}),
          ...(label.tokenizer ? { tokenizer: label.tokenizer } : {}),
          ...(label.group !== undefined ? { group: label.group } : {}),
        },
      ]),
    ),
    ...(data.idField ? { idField: data.idField } : {}),
    split: {
      ...(data.split.field !== undefined ? { field: data.split.field } : {}),
      names: data.split.names,
      fractions: data.split.fractions,
      ...(data.split.stratify !== undefined ? { stratify: data.split.stratify } : {}),
      seed: data.split.seed ?? seed,
      ...(data.split.folds !== undefined ? { folds: data.split.folds, fold: data.split.fold } : {}),
    },
    onBadSample: data.onBadSample,
    ...(data.encoding !== undefined ? { encoding: data.encoding } : {}),
    ...(data.cacheDir !== undefined ? { cacheDir: path.resolve(baseDir, data.cacheDir) } : {}),
    cacheInMemory: data.cacheInMemory,
    concurrency: data.concurrency,
    prefetch: data.prefetch,
    seed,
  };
}
