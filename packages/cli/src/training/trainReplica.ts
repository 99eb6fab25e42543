/**
 * The replicas 1..N-1 of `polyfuse train` with `training.replicas` > 1, each
 * in a worker thread (replica 0 is trainRun itself, with the callbacks that
 * log, checkpoint and stop early). A replica rebuilds what replica 0 has from
 * the same config: plugins, backend, dataset (same seed, same batches), model
 * and Trainer options; it trains on its rows of every batch and writes nothing.
 */
import '../registerPackages.js';
import { createMultimodalModel, initBackend } from '@polyfuse/core';
import { loadDataset, type Dataset } from '@polyfuse/data/node';
import { Trainer, type ReplicaGroup } from '@polyfuse/trainer';
import { readCheckpoint } from '@polyfuse/trainer/node';
import type { RunConfig } from '../config/runConfig.js';
import { loadPlugins } from '../config/loadPlugins.js';
import { toDatasetSpec } from '../config/toDatasetSpec.js';
import { trainerOptions } from './trainRun.js';
import { withDataSizes } from './dataSizes.js';

export interface ReplicaData {
  config: RunConfig;
  /** Replica 0's backend, so every replica computes alike. */
  backend: string;
  resume: boolean;
  lastCheckpoint: string;
  /** Manifest lines replica 0 found unusable and left out (`Dataset.dropUnusable`). */
  unusableLines: number[];
  /**
   * Replica 0's preprocessed training samples (`Dataset.cachedSamples`, with
   * `data.cacheInMemory`): its check for unusable samples already decoded
   * every one, so the other replicas start warm instead of decoding the whole
   * training split again in their first epoch while replica 0 waits.
   */
  trainSamples?: ReturnType<Dataset['cachedSamples']>;
}

export interface ReplicaSummary {
  rank: number;
  steps: number;
}

export async function replica(group: ReplicaGroup, { config, backend, resume, lastCheckpoint, unusableLines, trainSamples }: ReplicaData): Promise<ReplicaSummary> {
  await loadPlugins(config.plugins, config.baseDir);
  await initBackend({ backend, log: null });
  const dataset = await loadDataset(toDatasetSpec(config.data, config.baseDir, config.training.seed));
  dataset.dropLines(unusableLines); // the same splits as replica 0, so the same batches
  if (trainSamples) dataset.useCachedSamples(trainSamples);
  const model = createMultimodalModel(withDataSizes(config.model, dataset.preprocessors), { targets: dataset.targetInfo() });
  const trainer = new Trainer(trainerOptions(config, model, group));
  try {
    if (resume) await trainer.restore(await readCheckpoint(lastCheckpoint), lastCheckpoint);
    const train = dataset.loader('train', { batchSize: config.training.batchSize, shuffle: true, augment: true });
    const result = await trainer.fit(train, { epochs: config.training.epochs });
    return { rank: group.rank, steps: result.steps };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}
