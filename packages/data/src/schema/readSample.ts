import type { ManifestRow } from '../manifest/manifestRow.js';
import type { DatasetSpec } from './datasetSpec.js';
import { isMissing, type LabelEncoder } from './labelEncoder.js';

/** A manifest line checked against the dataset spec, before preprocessing. */
export interface SampleRecord {
  id: string;
  line: number;
  /** Raw value per modality; `undefined` when the modality is absent (it will be masked). */
  fields: Record<string, unknown>;
  /** Encoded target per label. */
  targets: Record<string, number>;
  /** The split field's value, when the spec has one. */
  split?: string;
}

/**
 * Checks one manifest row: modality values have the declared type (numbers
 * parse, files are non-empty strings), required modalities are present, and
 * labels encode. Returns the record, or the first problem with its field.
 */
export function readSample(
  row: ManifestRow,
  spec: DatasetSpec,
  labels: Record<string, LabelEncoder>,
): { record: SampleRecord } | { field?: string; message: string } {
  const values = row.values;
  const idValue = values[spec.idField ?? 'id'];
  const id = isMissing(idValue) ? `line:${row.line}` : String(idValue);
  const fields: Record<string, unknown> = {};
  for (const [modality, m] of Object.entries(spec.modalities)) {
    const field = m.field ?? modality;
    const raw = values[field];
    if (isMissing(raw)) {
      if (m.required) return { field, message: `modality '${modality}' is required but the field is missing or empty.` };
      fields[modality] = undefined;
      continue;
    }
    const type = m.type ?? 'file';
    if (type === 'file' || type === 'text') {
      if (typeof raw !== 'string') return { field, message: `expected ${type === 'file' ? 'a file path' : 'text'} (a string), got ${JSON.stringify(raw)}.` };
      fields[modality] = raw;
    } else if (type === 'number') {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      if (!Number.isFinite(n)) return { field, message: `expected a finite number, got ${JSON.stringify(raw)}.` };
      fields[modality] = n;
    } else {
      const list = parseNumbers(raw);
      if (!list) return { field, message: `expected an array of finite numbers (or, in CSV, numbers separated by spaces or semicolons), got ${JSON.stringify(raw).slice(0, 80)}.` };
      fields[modality] = list;
    }
  }
  const targets: Record<string, number> = {};
  for (const [name, encoder] of Object.entries(labels)) {
    const field = spec.labels?.[name]?.field ?? name;
    const encoded = encoder.encode(values[field]);
    if (typeof encoded === 'string') return { field, message: encoded };
    targets[name] = encoded;
  }
  const splitValue = spec.split?.field ? values[spec.split.field] : undefined;
  return {
    record: { id, line: row.line, fields, targets, split: isMissing(splitValue) ? undefined : String(splitValue).trim() },
  };
}

function parseNumbers(raw: unknown): number[] | undefined {
  const list = Array.isArray(raw)
    ? raw
    : typeof raw === 'string'
      ? raw.trim().replace(/^\[|\]$/g, '').split(/[\s;,]+/).filter((s) => s !== '').map(Number)
      : typeof raw === 'number'
        ? [raw]
        : undefined;
  if (!list || list.some((v) => typeof v !== 'number' || !Number.isFinite(v))) return undefined;
  return list as number[];
}
