import { InputError, SeededRandom, type Preprocessor } from '@polyfuse/core';
import type { ManifestRow, SampleIssue } from './readManifest.js';

/** One preprocessed sample. */
export interface ProcessedSample {
  id: string;
  line: number;
  /** Flat values per modality; `undefined` where the modality is absent (masked). */
  features: Record<string, Float32Array | Int32Array | undefined>;
  /** Class index per label; empty when the sample is unlabelled (prediction). */
  targets: Record<string, number>;
}

export interface ModalityReader {
  field: string;
  required: boolean;
  preprocessor: Preprocessor;
}

/** True for a field a manifest leaves empty. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Runs each modality's preprocessor on each row (`concurrency` rows at a
 * time), in inference mode. An absent optional field becomes `undefined`
 * (masked); an absent required field, or a preprocessor error (missing or
 * corrupt file), makes the row an issue. With `onBadSample: 'error'` the
 * first issue throws an InputError naming the line and field.
 */
export async function processSamples(
  rows: ManifestRow[],
  modalities: Record<string, ModalityReader>,
  options: { baseDir: string; source: string; idField?: string; onBadSample: 'skip' | 'error'; concurrency?: number; onProgress?: (done: number, total: number) => void },
): Promise<{ samples: (ProcessedSample | undefined)[]; issues: SampleIssue[] }> {
  const issues: SampleIssue[] = [];
  const samples: (ProcessedSample | undefined)[] = new Array(rows.length);
  const concurrency = options.concurrency ?? 8;
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < rows.length) {
      const index = next++;
      const row = rows[index];
      const id = sampleId(row, options.idField);
      const features: ProcessedSample['features'] = {};
      let issue: SampleIssue | undefined;
      for (const [modality, reader] of Object.entries(modalities)) {
        const value = row.values[reader.field];
        if (isMissing(value)) {
          if (reader.required) {
            issue = { line: row.line, id, field: reader.field, message: `modality '${modality}' is required but the field is empty or absent` };
            break;
          }
          features[modality] = undefined;
          continue;
        }
        try {
          features[modality] = await reader.preprocessor.process(value, { baseDir: options.baseDir, training: false, rng: new SeededRandom(row.line) });
        } catch (error) {
          issue = { line: row.line, id, field: reader.field, message: (error as Error).message };
          break;
        }
      }
      if (!issue && Object.values(features).every((f) => f === undefined)) {
        issue = { line: row.line, id, message: `no modality present (fields ${Object.values(modalities).map((m) => m.field).join(', ')} are all empty)` };
      }
      if (issue) {
        if (options.onBadSample === 'error') {
          throw new InputError(`${options.source}:${issue.line}: ${issue.field ? `field '${issue.field}': ` : ''}${issue.message} (data.onBadSample is 'error'; set it to 'skip' to skip bad samples).`);
        }
        issues.push(issue);
      } else samples[index] = { id, line: row.line, features, targets: {} };
      options.onProgress?.(++done, rows.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
  issues.sort((a, b) => a.line - b.line);
  return { samples, issues };
}

function sampleId(row: ManifestRow, idField: string | undefined): string {
  const value = row.values[idField ?? 'id'];
  return isMissing(value) ? `line:${row.line}` : String(value);
}
