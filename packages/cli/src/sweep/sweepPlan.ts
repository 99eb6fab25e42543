import type { PredictSection } from './predict/predictSection.js';

/** The executors a sweep can run on; every one runs `polyfuse sweep run <file> --index <i>` per run. */
export const sweepExecutors = ['local', 'slurm', 'kubernetes'] as const;
export type SweepExecutor = (typeof sweepExecutors)[number];

/** What a sweep's runs do: train a config each (the default), or predict one shard of a manifest each. */
export const sweepKinds = ['train', 'predict'] as const;
export type SweepKind = (typeof sweepKinds)[number];

/** One run of a sweep: its place in the plan, its folder name and the config paths it changes. */
export interface SweepRun {
  index: number;
  /** Stable, readable folder name: the zero-padded index and the values that vary (`0003-fusion=gated-seed=2`). */
  id: string;
  /** Config path (`model.fusion.name`) to value; applied to the base config in key order. */
  overrides: Record<string, unknown>;
  /** Absolute run folder, `<outDir>/runs/<id>`: what `polyfuse train --out` would write. */
  outDir: string;
  /** Predict sweeps: the shard this run predicts and the shard file it writes (its presence marks the run done). */
  shard?: { index: number; count: number; file: string };
}

/** A sweep file expanded: every run with its id and overrides, the same for the same file. */
export interface SweepPlan {
  name: string;
  /** Absolute path of the sweep file. */
  sweepFile: string;
  /** Absolute sweep folder (`sweep.json`, `runs/<id>/`, reports). */
  outDir: string;
  runs: SweepRun[];
  kind: SweepKind;
  /** `kind: predict`: the prediction every shard run makes a part of. */
  predict?: PredictSection;
  executor: SweepExecutor;
  /** Local executor: runs at once (default: cores ÷ replicas). */
  parallel?: number;
  /** The sweep file's `slurm` section, validated by the Slurm executor's schema. */
  slurm?: unknown;
  /** The sweep file's `kubernetes` section, validated by the Kubernetes executor's schema. */
  kubernetes?: unknown;
}
