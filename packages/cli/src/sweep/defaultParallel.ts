import os from 'node:os';
import type { SweepFile } from './sweepFile.js';

/**
 * Runs at once on this machine when neither `--parallel` nor `parallel:`
 * says: the cores divided by the base config's `training.replicas` (each
 * replica computes on one core with the wasm backend), at least 1. A
 * prediction shard runs one backend, so a predict sweep runs one per core.
 */
export function defaultParallel(sweep: SweepFile): number {
  const training = sweep.kind === 'train' ? (sweep.base.config.training as { replicas?: unknown } | undefined) : undefined;
  const replicas = Number(training?.replicas ?? 1);
  return Math.max(1, Math.floor(os.availableParallelism() / (Number.isInteger(replicas) && replicas > 0 ? replicas : 1)));
}
