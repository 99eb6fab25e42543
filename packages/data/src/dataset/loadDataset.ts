import path from 'node:path';
import { promises as fs } from 'node:fs';
import { InputError } from '@polyfuse/core';
import type { DatasetSpec } from '../schema/datasetSpec.js';
import { validateDatasetSpec } from '../schema/validateDatasetSpec.js';
import { readSample, encodeTargets, targetField, type SampleRecord } from '../schema/readSample.js';
import { createTarget } from '../targets/createTarget.js';
import { ClassTarget } from '../targets/classTarget.js';
import { isMissing } from '../targets/isMissing.js';
import type { Target } from '../targets/target.js';
import { parseJsonlManifest } from '../manifest/parseJsonl.js';
import { parseCsvManifest } from '../manifest/parseCsv.js';
import { decodeManifest, rejectBadLines } from '../manifest/decodeManifest.js';
import { formatIssue, type ManifestRow, type SampleIssue } from '../manifest/manifestRow.js';
import { splitSamples, type Splits } from '../split/splitSamples.js';
import { Dataset, restoreTarget, type DatasetState } from './dataset.js';

export interface LoadDatasetOptions {
  /**
   * Fitted preprocessor and target states saved with a model: restores
   * them instead of fitting on the training split (for evaluation and prediction).
   */
  state?: DatasetState;
  /** When false, labels are not read (prediction on unlabelled samples). Default true. */
  withLabels?: boolean;
}

/**
 * Reads a manifest (JSONL or CSV), checks every line against the spec, splits
 * the samples, fits the targets on the training split and encodes them, and
 * fits the preprocessors on the training split.
 *
 * Bad lines (invalid JSON, a wrong type, an unknown class, a missing required
 * modality) are collected in `dataset.issues` with their line and field and
 * skipped, or, with `onBadSample: 'error'`, the first one throws an InputError.
 * A missing optional modality is not an issue: the sample gets mask 0.
 */
export async function loadDataset(spec: DatasetSpec, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const checked = validateDatasetSpec(spec);
  const manifest = path.resolve(checked.manifest);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(manifest);
  } catch (error) {
    throw new InputError(`dataset.manifest: cannot read ${manifest} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  // Lines that are not valid UTF-8 are bad samples, not text with U+FFFD in it.
  const { text, badLines } = decodeManifest(bytes, checked.encoding, 'dataset.encoding');
  const format = checked.format ?? (manifest.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
  const parsed = format === 'csv' ? parseCsvManifest(text, manifest) : parseJsonlManifest(text, manifest);
  const rows = rejectBadLines(parsed.rows, parsed.issues, badLines, manifest, format);
  return buildDataset(checked, rows, parsed.issues, path.dirname(manifest), manifest, options);
}

/**
 * A dataset from in-memory samples (one object per sample, fields as in a
 * manifest line), e.g. the files given to `polyfuse predict`. All samples go
 * to the `test` split unless the spec names a split field.
 */
export async function datasetFromSamples(
  spec: Omit<DatasetSpec, 'manifest'> & { manifest?: string },
  samples: Record<string, unknown>[],
  options: LoadDatasetOptions & { baseDir?: string } = {},
): Promise<Dataset> {
  const full = validateDatasetSpec({ ...spec, manifest: spec.manifest ?? '<samples>' });
  const rows: ManifestRow[] = samples.map((values, i) => ({ line: i + 1, values }));
  const split = full.split?.field ? full.split : undefined;
  return buildDataset({ ...full, split }, rows, [], path.resolve(options.baseDir ?? '.'), '<samples>', options, !split);
}

async function buildDataset(
  spec: DatasetSpec,
  rows: ManifestRow[],
  issues: SampleIssue[],
  baseDir: string,
  source: string,
  options: LoadDatasetOptions,
  allTest = false,
): Promise<Dataset> {
  const stop = (issue: SampleIssue): never => {
    throw new InputError(`Bad manifest line: ${formatIssue(issue)}`);
  };
  if (spec.onBadSample === 'error' && issues.length > 0) stop(issues[0]);
  const withLabels = options.withLabels ?? true;
  const labelSpecs = withLabels ? (spec.labels ?? {}) : {};
  const targets: Record<string, Target> = {};
  for (const [name, l] of Object.entries(labelSpecs)) {
    const saved = options.state?.labels[name];
    targets[name] = createTarget(name, saved ? { ...l, type: saved.type } : l);
    if (saved) restoreTarget(targets[name], saved);
  }
  const readSpec = { ...spec, labels: labelSpecs };
  const reject = (line: number, id: string | undefined, field: string | undefined, message: string): void => {
    const issue: SampleIssue = { source, line, ...(id !== undefined ? { id } : {}), field, message };
    if (spec.onBadSample === 'error') stop(issue);
    issues.push(issue);
  };
  // With a saved state the targets are fitted already and encode as lines are
  // read; otherwise lines are read and split first, and the targets are fitted
  // on the training split and encode after it.
  const fitted = options.state !== undefined || Object.keys(targets).length === 0;
  const records: SampleRecord[] = [];
  const rawValues = new Map<SampleRecord, Record<string, unknown>>();
  const stratify = spec.split?.stratify;
  const provisional = !fitted && stratify && targets[stratify]?.type === 'class' ? new ClassTarget(stratify, labelSpecs[stratify]) : undefined;
  provisional?.learn(rows.map((r) => r.values[targetField(stratify!, labelSpecs[stratify!]) ?? '']));
  for (const row of rows) {
    const result = readSample(row, readSpec, fitted ? targets : {});
    if (!('record' in result)) {
      reject(row.line, undefined, result.field, result.message);
      continue;
    }
    if (!fitted) {
      // Lines without a label are dropped before splitting, as when labels were encoded on reading.
      const missing = Object.entries(targets).find(([name, t]) => {
        const value = row.values[targetField(name, labelSpecs[name]) ?? ''];
        return t.type !== 'match' && isMissing(value) && !(t.type === 'multilabel' && Array.isArray(value)); // `[]`: no class
      });
      if (missing) {
        reject(row.line, undefined, targetField(missing[0], labelSpecs[missing[0]]), 'the label is missing.');
        continue;
      }
      if (provisional) {
        // Stratify by the class index fitted on every line, as before targets were fitted on the training split.
        const index = provisional.encode(row.values[targetField(stratify!, labelSpecs[stratify!]) ?? '']);
        if (typeof index === 'string') {
          reject(row.line, undefined, targetField(stratify!, labelSpecs[stratify!]), index);
          continue;
        }
        result.record.targets[stratify!] = index;
      }
      rawValues.set(result.record, row.values);
    }
    records.push(result.record);
  }
  const noSamples = (): never => {
    throw new InputError(`${source}: no usable samples (${rows.length} lines read, ${issues.length} with problems${issues[0] ? `; first: ${formatIssue(issues[0])}` : ''}).`);
  };
  if (records.length === 0) noSamples();
  let splits: Splits;
  if (allTest) {
    splits = { train: [], validation: [], test: records };
  } else {
    const types = Object.fromEntries(Object.entries(targets).map(([n, t]) => [n, t.type]));
    const result = splitSamples(records, spec.split, spec.seed ?? 0, source, types);
    if (spec.onBadSample === 'error' && result.issues.length > 0) stop(result.issues[0]);
    issues.push(...result.issues);
    splits = result.splits;
  }
  if (!fitted) {
    // Vocabularies and scaling are fitted on the training split (on every sample when there is none, as for
    // `datasetFromSamples` without a state). Class lists come from every line, as they always have: a class
    // seen only in the test split stays a class (scored as wrong), not a skipped sample.
    const trainOnly = splits.train.length > 0 ? splits.train : records;
    for (const [name, target] of Object.entries(targets)) {
      const fitOn = target.type === 'class' || target.type === 'multilabel' ? records : trainOnly;
      const field = targetField(name, labelSpecs[name]);
      const values = field === undefined ? [] : fitOn.map((r) => rawValues.get(r)![field]).filter((v) => !isMissing(v));
      await target.fit(values, { baseDir });
    }
    const rejected = new Set<SampleRecord>();
    const split = new Set(Object.values(splits).flat());
    for (const record of records) {
      if (!split.has(record)) continue; // already reported by splitSamples
      const encoded = encodeTargets(rawValues.get(record)!, readSpec, targets);
      if ('message' in encoded) {
        reject(record.line, record.id, encoded.field, encoded.message);
        rejected.add(record);
        continue;
      }
      record.targets = encoded.targets;
      if (encoded.references) record.references = encoded.references;
    }
    if (rejected.size > 0) {
      for (const name of Object.keys(splits) as (keyof Splits)[]) splits[name] = splits[name].filter((r) => !rejected.has(r));
      if (Object.values(splits).every((list) => list.length === 0)) noSamples();
    }
  }
  const dataset = new Dataset({ spec, baseDir, source, splits, targets, issues });
  if (options.state) dataset.setState(options.state);
  else await dataset.fit();
  return dataset;
}
