import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError, type Preprocessor } from '@polyfuse/core';
import type { DataConfig } from '../config/runConfig.js';
import { readManifest, formatIssue, type ManifestRow, type SampleIssue } from './readManifest.js';
import { assignSplits, type SplitName } from './assignSplits.js';
import { labelClasses } from './labelClasses.js';
import { isMissing, processSamples, type ProcessedSample } from './processSamples.js';
import { createPreprocessors } from './preprocessingState.js';

/** A dataset read, split and preprocessed, ready to batch. */
export interface PreparedDataset {
  splits: Record<SplitName, ProcessedSample[]>;
  preprocessors: Record<string, Preprocessor>;
  /** Class names per label, in index order. */
  classes: Record<string, string[]>;
  /** Lines and samples that were skipped, and why. */
  issues: SampleIssue[];
  manifest: string;
}

/**
 * Reads the manifest, drops bad lines (or stops, per `data.onBadSample`),
 * encodes labels, splits, fits the preprocessors on the training split only
 * (so validation and test never leak into vocabularies or statistics), and
 * preprocesses every sample once. Given already fitted `preprocessors`
 * (evaluating a trained run), it uses them as they are.
 *
 * This is the CLI's in-memory adapter for datasets that fit in memory; it
 * follows @polyfuse/data's DatasetSpec field names.
 */
export async function prepareDataset(
  data: DataConfig,
  options: { baseDir: string; seed: number; preprocessors?: Record<string, Preprocessor>; onProgress?: (done: number, total: number) => void },
): Promise<PreparedDataset> {
  const manifest = path.resolve(options.baseDir, data.manifest);
  const manifestDir = path.dirname(manifest);
  const { rows: parsedRows, issues } = await readManifest(manifest, data.format);
  stopOnIssue(data, manifest, issues);

  const labelled: ManifestRow[] = [];
  for (const row of parsedRows) {
    const missing = Object.values(data.labels).find((label) => isMissing(row.values[label.field]));
    if (missing) issues.push({ line: row.line, field: missing.field, message: 'label is empty or absent' });
    else labelled.push(row);
  }
  stopOnIssue(data, manifest, issues);
  if (labelled.length === 0) {
    throw new InputError(`Manifest ${manifest} has no usable samples (${issues.length} bad line(s)${issues[0] ? `; first: ${formatIssue(manifest, issues[0])}` : ''}).`);
  }

  const classes: Record<string, string[]> = {};
  for (const [name, label] of Object.entries(data.labels)) {
    classes[name] = labelClasses(labelled.map((r) => r.values[label.field]), label.classes, `data.labels.${name}`);
  }
  const rows: ManifestRow[] = [];
  const targets: Record<string, number>[] = [];
  for (const row of labelled) {
    const encoded: Record<string, number> = {};
    let bad: SampleIssue | undefined;
    for (const [name, label] of Object.entries(data.labels)) {
      const index = classes[name].indexOf(String(row.values[label.field]));
      if (index < 0) bad = { line: row.line, field: label.field, message: `class ${JSON.stringify(row.values[label.field])} is not in data.labels.${name}.classes (${classes[name].join(', ')})` };
      encoded[name] = index;
    }
    if (bad) issues.push(bad);
    else {
      rows.push(row);
      targets.push(encoded);
    }
  }
  stopOnIssue(data, manifest, issues);

  const stratifyLabel = data.split.stratify;
  const assigned = assignSplits(rows, data.split, options.seed, (row) => (data.split.field ? row.values[data.split.field] : undefined), (row) => {
    return stratifyLabel ? String(row.values[data.labels[stratifyLabel].field]) : '';
  });
  assigned.forEach((split, i) => {
    if (!split) {
      const field = data.split.field!;
      const allowed = Object.values(data.split.names).flat().join(', ');
      issues.push({ line: rows[i].line, field, message: `split ${JSON.stringify(rows[i].values[field])} is not one of ${allowed} (data.split.names)` });
    }
  });
  stopOnIssue(data, manifest, issues);

  // File modalities: a missing file is a bad sample, found before fitting so `fit` never sees it.
  for (let i = 0; i < rows.length; i++) {
    if (!assigned[i]) continue;
    for (const spec of Object.values(data.modalities)) {
      const value = rows[i].values[spec.field];
      if (spec.type !== 'file' || isMissing(value)) continue;
      const file = path.resolve(manifestDir, String(value));
      if (!(await fileExists(file))) {
        issues.push({ line: rows[i].line, field: spec.field, message: `file ${file} does not exist` });
        assigned[i] = undefined;
        break;
      }
    }
  }
  stopOnIssue(data, manifest, issues);

  const preprocessors = options.preprocessors ?? createPreprocessors(data);
  for (const [modality, spec] of Object.entries(data.modalities)) {
    const preprocessor = preprocessors[modality];
    if (!preprocessor.fit || options.preprocessors) continue;
    const values = rows.filter((_, i) => assigned[i] === 'train').map((r) => r.values[spec.field]).filter((v) => !isMissing(v));
    try {
      await preprocessor.fit(values, { baseDir: manifestDir });
    } catch (error) {
      throw new InputError(`data.modalities.${modality}: fitting preprocessor '${spec.preprocessor.name}' on the training split failed: ${(error as Error).message}`, { cause: error });
    }
  }

  const readers = Object.fromEntries(
    Object.entries(data.modalities).map(([m, spec]) => [m, { field: spec.field, required: spec.required, preprocessor: preprocessors[m] }]),
  );
  const { samples, issues: sampleIssues } = await processSamples(rows.filter((_, i) => assigned[i]), readers, {
    baseDir: manifestDir,
    source: manifest,
    onBadSample: data.onBadSample,
    ...(data.idField ? { idField: data.idField } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  issues.push(...sampleIssues);
  issues.sort((a, b) => a.line - b.line);

  const splits: Record<SplitName, ProcessedSample[]> = { train: [], validation: [], test: [] };
  const kept = rows.map((_, i) => i).filter((i) => assigned[i]);
  samples.forEach((sample, k) => {
    if (!sample) return;
    sample.targets = targets[kept[k]];
    splits[assigned[kept[k]]!].push(sample);
  });
  if (splits.train.length === 0) {
    throw new InputError(`No training samples in ${manifest}: every usable sample went to validation or test. Check data.split.`);
  }
  return { splits, preprocessors, classes, issues, manifest };
}

function stopOnIssue(data: DataConfig, manifest: string, issues: SampleIssue[]): void {
  if (data.onBadSample === 'error' && issues.length > 0) {
    throw new InputError(`${formatIssue(manifest, issues[0])} (data.onBadSample is 'error'; set it to 'skip' to skip bad samples).`);
  }
}

async function fileExists(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}
