import { promises as fs } from 'node:fs';
import { InputError } from '@polyfuse/core';

/** One manifest line: its 1-based line number and field values. */
export interface ManifestRow {
  line: number;
  values: Record<string, unknown>;
}

/** A line or sample that could not be used, and why. */
export interface SampleIssue {
  line: number;
  id?: string;
  field?: string;
  message: string;
}

/** `manifest.jsonl:12: field 'image': ...`. */
export function formatIssue(source: string, issue: SampleIssue): string {
  return `${source}:${issue.line}: ${issue.field ? `field '${issue.field}': ` : ''}${issue.message}`;
}

/**
 * Reads a JSONL (one JSON object per line; blank lines ignored) or CSV
 * (RFC 4180: header row, double-quoted fields with "" escapes) manifest.
 * A line that does not parse becomes an issue, not an exception, so the
 * caller decides whether to skip it or stop.
 */
export async function readManifest(file: string, format?: 'jsonl' | 'csv'): Promise<{ rows: ManifestRow[]; issues: SampleIssue[] }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `Manifest ${file} does not exist (data.manifest is relative to the config file).` : `Could not read manifest ${file}: ${(error as Error).message}`);
  }
  const kind = format ?? (file.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
  return kind === 'csv' ? parseCsv(text, file) : parseJsonl(text);
}

function parseJsonl(text: string): { rows: ManifestRow[]; issues: SampleIssue[] } {
  const rows: ManifestRow[] = [];
  const issues: SampleIssue[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    try {
      const value = JSON.parse(raw) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        issues.push({ line, message: `expected a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}` });
      } else rows.push({ line, values: value as Record<string, unknown> });
    } catch (error) {
      issues.push({ line, message: `not valid JSON (${(error as Error).message})` });
    }
  });
  return { rows, issues };
}

function parseCsv(text: string, file: string): { rows: ManifestRow[]; issues: SampleIssue[] } {
  const records = splitCsvRecords(text);
  const header = records.shift();
  if (!header || header.cells.every((c) => c === '')) throw new InputError(`Manifest ${file} has no header row: a CSV manifest starts with the field names.`);
  const rows: ManifestRow[] = [];
  const issues: SampleIssue[] = [];
  for (const record of records) {
    if (record.cells.length === 1 && record.cells[0] === '') continue;
    if (record.error) {
      issues.push({ line: record.line, message: record.error });
    } else if (record.cells.length !== header.cells.length) {
      issues.push({ line: record.line, message: `has ${record.cells.length} cells but the header has ${header.cells.length}` });
    } else {
      rows.push({ line: record.line, values: Object.fromEntries(header.cells.map((name, i) => [name, record.cells[i] === '' ? undefined : record.cells[i]])) });
    }
  }
  return { rows, issues };
}

function splitCsvRecords(text: string): { line: number; cells: string[]; error?: string }[] {
  const records: { line: number; cells: string[]; error?: string }[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let error: string | undefined;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else {
          if (ch === '\n') line++;
          cell += ch;
        }
      } else if (ch === '"' && cell === '') quoted = true;
      else if (ch === ',') {
        cells.push(cell);
        cell = '';
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && text[i + 1] === '\n') i++;
        i++;
        break;
      } else cell += ch;
    }
    if (quoted) error = 'unterminated quoted field';
    cells.push(cell);
    records.push({ line: start, cells, ...(error ? { error } : {}) });
    line++;
  }
  return records;
}
