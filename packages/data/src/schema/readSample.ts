import type { ManifestRow } from '../manifest/manifestRow.js';
import type { DatasetSpec, LabelSpec } from './datasetSpec.js';
import { isMissing } from '../targets/isMissing.js';
import type { Target, TargetValue } from '../targets/target.js';
import { parseNumbers } from './parseNumbers.js';

/** A manifest line checked against the dataset spec, before preprocessing. */
export interface SampleRecord {
  id: string;
  line: number;
  /** Raw value per modality; `undefined` when the modality is absent (it will be masked). */
  fields: Record<string, unknown>;
  /**
   * Encoded target per label. Targets encoded per epoch (`sequence`) are
   * absent: the loader encodes them from `references`.
   */
  targets: Record<string, TargetValue>;
  /** Every reference text per sequence target (a caption target with several captions). */
  references?: Record<string, string[]>;
  /** The split field's value, when the spec has one. */
  split?: string;
}

/**
 * Checks one manifest row: modality values have the declared type (numbers
 * parse, files are non-empty strings), required modalities are present, and
 * labels encode with the given (fitted) targets. Returns the record, or the
 * first problem with its field.
 */
export function readSample(
  row: ManifestRow,
  spec: DatasetSpec,
  labels: Record<string, Target>,
): { record: SampleRecord } | { field?: string; message: string } {
  const values = row.values;
  const idValue = values[spec.idField ?? 'id'];
  const id = isMissing(idValue) ? `line:${row.line}` : String(idValue);
  const fields: Record<string, unknown> = {};
  for (const [modality, m] of Object.entries(spec.modalities)) {
    const field = m.field ?? modality;
    const raw = m.type === 'record' && m.columns ? gatherColumns(values, m.columns) : values[field];
    if (isMissing(raw)) {
      if (m.required) return { field, message: `modality '${modality}' is required but the field is missing or empty.` };
      fields[modality] = undefined;
      continue;
    }
    const type = m.type ?? 'file';
    if (type === 'record') {
      const problem = recordProblem(raw);
      if (problem) return { field: problem.column ?? field, message: problem.message };
      fields[modality] = raw;
    } else if (type === 'file' || type === 'text') {
      if (typeof raw !== 'string') {
        const hint = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? ` For named values such as a table row, declare the modality's type: record.` : '';
        return { field, message: `expected ${type === 'file' ? 'a file path' : 'text'} (a string), got ${JSON.stringify(raw).slice(0, 80)}.${hint}` };
      }
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
  const encoded = encodeTargets(values, spec, labels);
  if ('message' in encoded) return encoded;
  const splitValue = spec.split?.field ? values[spec.split.field] : undefined;
  return {
    record: { id, line: row.line, fields, ...encoded, split: isMissing(splitValue) ? undefined : String(splitValue).trim() },
  };
}

/** A record built from several manifest fields (CSV columns); missing when every one of them is. */
function gatherColumns(values: Record<string, unknown>, columns: string[]): Record<string, unknown> | undefined {
  const record = Object.fromEntries(columns.map((column) => [column, isMissing(values[column]) ? null : values[column]]));
  return Object.values(record).every((value) => value === null) ? undefined : record;
}

/** A record is a JSON object of numbers, strings, booleans or null (missing values); anything else names its column. */
function recordProblem(raw: unknown): { column?: string; message: string } | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { message: `expected a record (a JSON object of named values, e.g. {"age": 41, "bmi": null}), got ${JSON.stringify(raw).slice(0, 80)}.` };
  }
  for (const [column, value] of Object.entries(raw as Record<string, unknown>)) {
    if (value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value))) continue;
    return { column, message: `record value '${column}' must be a number, a string, a boolean or null (missing), got ${JSON.stringify(value)?.slice(0, 60)}.` };
  }
  return undefined;
}

/** The manifest field a label reads: its `field` (default its name), or a match target's `group` (none without). */
export function targetField(name: string, spec: LabelSpec = {}): string | undefined {
  return spec.type === 'match' ? spec.group : (spec.field ?? name);
}

/**
 * Encodes every target of one manifest line's `values`: sequence targets keep
 * their references (they are encoded per epoch), the others are encoded now.
 * Match targets go last, so a line rejected for another label does not use
 * up a group index. Returns the first problem with its field.
 */
export function encodeTargets(
  values: Record<string, unknown>,
  spec: DatasetSpec,
  labels: Record<string, Target>,
): { targets: Record<string, TargetValue>; references?: Record<string, string[]> } | { field?: string; message: string } {
  const targets: Record<string, TargetValue> = {};
  let references: Record<string, string[]> | undefined;
  const ordered = Object.entries(labels).sort(([, a], [, b]) => Number(a.type === 'match') - Number(b.type === 'match'));
  for (const [name, target] of ordered) {
    const field = targetField(name, spec.labels?.[name]);
    const value = field === undefined ? undefined : values[field];
    if (target.references) {
      const refs = target.references(value);
      if (typeof refs === 'string') return { field, message: refs };
      (references ??= {})[name] = refs;
    }
    if (target.perEpoch) continue;
    const result = target.encode(value, { training: false });
    if (result instanceof Promise) throw new Error(`Label '${name}': a ${target.type} target that encodes asynchronously must be encoded per epoch (perEpoch).`);
    if (typeof result === 'string') return { field, message: result };
    targets[name] = result;
  }
  return references ? { targets, references } : { targets };
}
