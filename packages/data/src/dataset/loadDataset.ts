import path from 'node:path';
import { promises as fs } from 'node:fs';
import { InputError } from '@polyfuse/core';
import type { DatasetSpec } from '../schema/datasetSpec.js';
import { validateDatasetSpec } from '../schema/validateDatasetSpec.js';
import { LabelEncoder } from '../schema/labelEncoder.js';
import { readSample, type SampleRecord } from '../schema/readSample.js';
import { parseJsonlManifest } from '../manifest/parseJsonl.js';
import { parseCsvManifest } from '../manifest/parseCsv.js';
import { formatIssue, type ManifestRow, type SampleIssue } from '../manifest/manifestRow.js';
import { splitSamples, type Splits } from '../split/splitSamples.js';
import { Dataset, type DatasetState } from './dataset.js';

export interface LoadDatasetOptions {
  /**
   * Fitted preprocessor states and label classes saved with a model: restores
   * them instead of fitting on the training split (for evaluation and prediction).
   */
  state?: DatasetState;
  /** When false, labels are not read (prediction on unlabelled samples). Default true. */
  withLabels?: boolean;
}

/**
 * Reads a manifest (JSONL or CSV), checks every line against the spec, splits
 * the samples and fits the preprocessors on the training split.
 *
 * Bad lines (invalid JSON, a wrong type, an unknown class, a missing required
 * modality) are collected in `dataset.issues` with their line and field and
 * skipped, or, with `onBadSample: 'error'`, the first one throws an InputError.
 * A missing optional modality is not an issue: the sample gets mask 0.
 */
export async function loadDataset(spec: DatasetSpec, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const checked = validateDatasetSpec(spec);
  const manifest = path.resolve(checked.manifest);
  let text: string;
  try {
    text = await fs.readFile(manifest, 'utf8');
  } catch (error) {
    throw new InputError(`dataset.manifest: cannot read ${manifest} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const format = checked.format ?? (manifest.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
  const parsed = format === 'csv' ? parseCsvManifest(text, manifest) : parseJsonlManifest(text, manifest);
  return buildDataset(checked, parsed.rows, parsed.issues, path.dirname(manifest), manifest, options);
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
  const labels = Object.fromEntries(
    Object.entries(labelSpecs).map(([name, l]) => {
      const saved = options.state?.labels[name];
      const effective = saved ? { ...l, type: saved.type, classes: saved.type === 'class' ? saved.classes : undefined } : l;
      return [name, new LabelEncoder(name, effective, rows.map((r) => r.values[l.field ?? name]))];
    }),
  );
  const records: SampleRecord[] = [];
  for (const row of rows) {
    const result = readSample(row, { ...spec, labels: labelSpecs }, labels);
    if ('record' in result) {
      records.push(result.record);
      continue;
    }
    const issue: SampleIssue = { source, line: row.line, field: result.field, message: result.message };
    if (spec.onBadSample === 'error') stop(issue);
    issues.push(issue);
  }
  if (records.length === 0) {
    throw new InputError(`${source}: no usable samples (${rows.length} lines read, ${issues.length} with problems${issues[0] ? `; first: ${formatIssue(issues[0])}` : ''}).`);
  }
  let splits: Splits;
  if (allTest) {
    splits = { train: [], validation: [], test: records };
  } else {
    const result = splitSamples(records, spec.split, spec.seed ?? 0, source);
    if (spec.onBadSample === 'error' && result.issues.length > 0) stop(result.issues[0]);
    issues.push(...result.issues);
    splits = result.splits;
  }
  const dataset = new Dataset({ spec, baseDir, source, splits, labels, issues });
  if (options.state) dataset.setState(options.state);
  else await dataset.fit();
  return dataset;
}
