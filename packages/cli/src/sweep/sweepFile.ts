import path from 'node:path';
import { ConfigError, validateConfig, type ConfigSchema } from '@polyfuse/core';
import { readConfigFile } from '../config/loadConfig.js';
import { sweepExecutors, sweepKinds, type SweepExecutor, type SweepKind } from './sweepPlan.js';
import { readPredictSection, type PredictSection } from './predict/predictSection.js';
import { validateSlurmOptions } from './executors/slurm/slurmOptions.js';
import { validateKubernetesOptions } from './executors/kubernetes/kubernetesOptions.js';

const sweepSchema: ConfigSchema = {
  name: { type: 'string', description: 'Sweep name; default: the sweep file name without its extension.' },
  kind: { type: 'string', default: 'train', enum: sweepKinds, description: 'train: each run trains a config; predict: each run predicts one shard of a manifest.' },
  base: { type: 'any', description: 'kind train (required): the run config, a path relative to the sweep file, or an inline config.' },
  predict: { type: 'object', description: 'kind predict (required): run, manifest, shards, output and predict options (docs/sweeps.md).' },
  set: { type: 'object', description: 'Overrides every run shares (config path to value), applied before its own.' },
  grid: { type: 'object', description: 'Config path to a list of values; every combination is a run (last key fastest).' },
  runs: { type: 'any', description: 'A list of override sets (config path to value), each one run, after the grid runs.' },
  folds: { type: 'integer', min: 2, description: 'k-fold cross-validation: every run becomes `folds` runs, one per held-out fold.' },
  out: { type: 'string', description: 'Sweep folder, relative to the sweep file; default runs/sweeps/<name>.' },
  executor: { type: 'string', default: 'local', enum: sweepExecutors },
  parallel: { type: 'integer', min: 1, description: 'Local executor: runs at once; default cores ÷ training.replicas.' },
  slurm: { type: 'object', description: 'Slurm executor options (docs/sweeps.md).' },
  kubernetes: { type: 'object', description: 'Kubernetes executor options (docs/sweeps.md).' },
};

/** What every sweep file has, whatever its kind. */
interface SweepFileCommon {
  file: string;
  name: string;
  outDir: string;
  executor: SweepExecutor;
  parallel?: number;
  slurm?: Record<string, unknown>;
  kubernetes?: Record<string, unknown>;
}

/** A training sweep (`kind: train`, the default), validated, with its base config read. */
export interface TrainSweepFile extends SweepFileCommon {
  kind: 'train';
  /** The base run config as parsed data, and the folder its relative paths resolve against. */
  base: { config: Record<string, unknown>; baseDir: string; file?: string };
  set?: Record<string, unknown>;
  grid?: Record<string, unknown[]>;
  runs?: Record<string, unknown>[];
  folds?: number;
}

/** A prediction sweep (`kind: predict`): one run per shard of a manifest. */
export interface PredictSweepFile extends SweepFileCommon {
  kind: 'predict';
  predict: PredictSection;
}

/** A sweep file, validated. */
export type SweepFile = TrainSweepFile | PredictSweepFile;

/** Keys that shape the runs of a training sweep; a predict sweep's runs are its shards. */
const trainOnlyKeys = ['base', 'set', 'grid', 'runs', 'folds'] as const;

/**
 * Reads a sweep file (YAML or JSON, see docs/sweeps.md) and its base config
 * (a training sweep) or its predict section (`kind: predict`). Paths in the
 * sweep file (`base`, `out`, `predict.run`, `predict.manifest`) are relative to the sweep file, so
 * a sweep means the same wherever it is started from (a login node, a pod).
 */
export async function readSweepFile(file: string): Promise<SweepFile> {
  const raw = await readConfigFile(file, 'Sweep file');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${file}: a sweep file is a mapping with at least 'base' and 'grid', 'runs' or 'folds', got ${JSON.stringify(raw)}.`);
  }
  const sweep = validateConfig<Record<string, any>>(sweepSchema, raw as Record<string, unknown>, 'sweep');
  const sweepDir = path.dirname(file);
  if (sweep.runs !== undefined && !Array.isArray(sweep.runs)) throw new ConfigError(`sweep.runs must be a list of override sets (config path: value), got ${JSON.stringify(sweep.runs)}.`);
  // The cluster sections are checked here (and kept as written), so a bad one fails before any run starts.
  if (sweep.slurm !== undefined) validateSlurmOptions(sweep.slurm, 'sweep.slurm');
  if (sweep.kubernetes !== undefined) validateKubernetesOptions(sweep.kubernetes, 'sweep.kubernetes');
  const name = sweep.name ?? path.basename(file).replace(/\.(ya?ml|json)$/, '');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new ConfigError(`sweep.name must use only letters, digits, '.', '_' and '-' (it names folders and jobs), got ${JSON.stringify(name)}.`);
  const common: SweepFileCommon = {
    file,
    name,
    outDir: path.resolve(sweepDir, sweep.out ?? path.join('runs', 'sweeps', name)),
    executor: sweep.executor,
    ...(sweep.parallel !== undefined ? { parallel: sweep.parallel } : {}),
    ...(sweep.slurm !== undefined ? { slurm: sweep.slurm } : {}),
    ...(sweep.kubernetes !== undefined ? { kubernetes: sweep.kubernetes } : {}),
  };
  if ((sweep.kind as SweepKind) === 'predict') {
    const given = trainOnlyKeys.filter((key) => sweep[key] !== undefined);
    if (given.length > 0) {
      throw new ConfigError(
        `${file}: ${given.map((key) => `sweep.${key}`).join(', ')} ${given.length > 1 ? 'are' : 'is'} not allowed with kind: predict: a predict sweep's runs are the shards of predict.shards, of one trained run (predict.run). Remove ${given.length > 1 ? 'them' : 'it'}, or use a training sweep (kind: train) for trainings.`,
      );
    }
    if (sweep.predict === undefined) throw new ConfigError(`${file}: kind: predict needs a predict section (run, manifest, shards, output); see docs/sweeps.md.`);
    return { ...common, kind: 'predict', predict: readPredictSection(sweep.predict, sweepDir, common.outDir) };
  }
  if (sweep.predict !== undefined) throw new ConfigError(`${file}: sweep.predict is only read by prediction sweeps: add kind: predict (and remove base, grid, runs, folds), or remove predict.`);
  if (sweep.base === undefined) throw new ConfigError(`sweep.base is required (the run config: a path relative to the sweep file, or an inline config); or set kind: predict for a prediction sweep.`);
  return {
    ...common,
    kind: 'train',
    base: await readBase(sweep.base, sweepDir),
    ...(sweep.set !== undefined ? { set: sweep.set } : {}),
    ...(sweep.grid !== undefined ? { grid: sweep.grid } : {}),
    ...(sweep.runs !== undefined ? { runs: sweep.runs } : {}),
    ...(sweep.folds !== undefined ? { folds: sweep.folds } : {}),
  };
}

async function readBase(base: unknown, sweepDir: string): Promise<TrainSweepFile['base']> {
  if (typeof base === 'string') {
    const file = path.resolve(sweepDir, base);
    const config = await readConfigFile(file, "The sweep's base config (base:)");
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new ConfigError(`sweep.base: ${file} must hold a config mapping.`);
    const fallbackName = path.basename(file).replace(/\.(ya?ml|json)$/, '');
    return { config: { name: fallbackName, ...(config as Record<string, unknown>) }, baseDir: path.dirname(file), file };
  }
  if (typeof base === 'object' && base !== null && !Array.isArray(base)) return { config: base as Record<string, unknown>, baseDir: sweepDir };
  throw new ConfigError(`sweep.base must be a run config file (a path relative to the sweep file) or an inline config mapping, got ${JSON.stringify(base)}.`);
}
