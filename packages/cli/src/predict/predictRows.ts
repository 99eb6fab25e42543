import { InputError } from '@polyfuse/core';
import type { OpenedRun } from '../run/openRun.js';
import type { ManifestRow, SampleIssue } from '../data/readManifest.js';
import { processSamples, type ProcessedSample } from '../data/processSamples.js';
import { inputSpecs } from '../training/trainRun.js';
import { argmaxRows, predictProbabilities } from '../training/evaluate.js';
import type { Prediction } from './formatPredictions.js';

/**
 * Predicts manifest-style rows (`{ line, values: { <field>: <file or value> } }`)
 * with an opened run: each modality's field is preprocessed with the run's
 * fitted preprocessors (files relative to `baseDir`), absent modalities are
 * masked, and each usable row gets its top class and every class's
 * probability (softmax of the fused logits). Unreadable rows are returned as
 * issues, or throw with `onBadSample: 'error'`.
 */
export async function predictRows(
  run: OpenedRun,
  rows: ManifestRow[],
  options: { baseDir: string; source?: string; onBadSample?: 'skip' | 'error'; batchSize?: number },
): Promise<{ predictions: Prediction[]; issues: SampleIssue[] }> {
  const readers = Object.fromEntries(
    Object.entries(run.preprocessing.modalities).map(([m, spec]) => [m, { field: spec.field, required: spec.required, preprocessor: run.preprocessors[m] }]),
  );
  const source = options.source ?? 'input';
  const { samples, issues } = await processSamples(rows, readers, { baseDir: options.baseDir, source, onBadSample: options.onBadSample ?? 'skip' });
  const usable = samples.filter((s): s is ProcessedSample => s !== undefined);
  if (usable.length === 0) throw new InputError(`No sample of ${source} could be read (${issues.length} skipped).`);
  const classes = Object.values(run.preprocessing.labels)[0].classes;
  const { probabilities, numClasses } = predictProbabilities(run.model, usable, inputSpecs(run.model, run), { batchSize: options.batchSize ?? 64 });
  const top = argmaxRows(probabilities, numClasses);
  const predictions = usable.map((sample, i) => ({
    id: sample.id,
    prediction: classes[top[i]],
    probabilities: Object.fromEntries(classes.map((c, k) => [c, probabilities[i * numClasses + k]])),
  }));
  return { predictions, issues };
}
