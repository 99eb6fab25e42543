import path from 'node:path';
import type { DatasetSpec } from '@polyfuse/data';
import { datasetFromSamples, loadDataset, type Dataset } from '@polyfuse/data/node';
import type { OpenedRun } from '../run/openRun.js';
import { labelClasses } from '../data/preprocessingState.js';
import { argmaxRows, predictSource } from '../training/evaluate.js';
import type { Prediction } from './formatPredictions.js';
import { selectShard } from './shardRows.js';
import type { Shard } from './shardSpec.js';

/** The run's dataset spec for unlabelled prediction: every sample in one split, bad samples skipped. */
function predictionSpec(run: OpenedRun, manifest?: string): DatasetSpec {
  const { split: _split, labels: _labels, ...spec } = run.preprocessing.spec;
  return { ...spec, ...(manifest ? { manifest } : {}), split: { fractions: { validation: 0, test: 0 } }, onBadSample: 'skip' };
}

/**
 * Predicts samples given as manifest-style objects (`{ image: 'seven.png',
 * audio: 'seven.wav' }`, files relative to `baseDir`) with an opened run:
 * each modality is preprocessed with the run's fitted state
 * (@polyfuse/data's `datasetFromSamples`), absent modalities are masked, and
 * each usable sample gets its top class and every class's probability
 * (softmax of the fused logits).
 */
export async function predictSamples(run: OpenedRun, samples: Record<string, unknown>[], options: { baseDir: string; batchSize?: number }): Promise<{ predictions: Prediction[]; dataset: Dataset }> {
  const dataset = await datasetFromSamples(predictionSpec(run), samples, { state: run.preprocessing.state, withLabels: false, baseDir: options.baseDir });
  return { predictions: await predictSplit(run, dataset, 'test', options.batchSize), dataset };
}

/**
 * The samples to predict as a dataset preprocessed with the run's fitted
 * state, without labels: manifest-style objects (files relative to
 * `baseDir`, all in the `test` split) or every line of a manifest (files
 * relative to it, all in the `train` split). Bad samples are skipped and
 * listed in `dataset.issues`.
 */
export async function predictionDataset(run: OpenedRun, from: { samples: Record<string, unknown>[]; baseDir: string } | { manifest: string }): Promise<{ dataset: Dataset; split: 'train' | 'test' }> {
  if ('manifest' in from) {
    return { dataset: await loadDataset(predictionSpec(run, path.resolve(from.manifest)), { state: run.preprocessing.state, withLabels: false }), split: 'train' };
  }
  return { dataset: await datasetFromSamples(predictionSpec(run), from.samples, { state: run.preprocessing.state, withLabels: false, baseDir: from.baseDir }), split: 'test' };
}

/** Predicts every line of a JSONL or CSV manifest (files relative to it), or one shard of its lines, with an opened run. */
export async function predictManifest(run: OpenedRun, manifest: string, options: { batchSize?: number; shard?: Shard } = {}): Promise<{ predictions: Prediction[]; dataset: Dataset }> {
  const dataset = await loadDataset(predictionSpec(run, path.resolve(manifest)), { state: run.preprocessing.state, withLabels: false });
  if (options.shard) selectShard(dataset, 'train', options.shard);
  return { predictions: await predictSplit(run, dataset, 'train', options.batchSize), dataset };
}

async function predictSplit(run: OpenedRun, dataset: Dataset, split: 'train' | 'test', batchSize = 64): Promise<Prediction[]> {
  const classes = labelClasses(run.preprocessing);
  const { ids, probabilities, numClasses } = await predictSource(run.model, dataset.loader(split, { batchSize }));
  const top = argmaxRows(probabilities, numClasses);
  return ids.map((id, i) => ({
    id,
    prediction: classes[top[i]],
    probabilities: Object.fromEntries(classes.map((c, k) => [c, probabilities[i * numClasses + k]])),
  }));
}
