import type { ManifestRow, SampleIssue } from './manifestRow.js';

/**
 * Parses a JSON Lines manifest: one JSON object per line; blank lines and
 * lines starting with `#` are ignored. A line that is not a JSON object is
 * returned as an issue with its line number, so the caller can skip it or stop.
 */
export function parseJsonlManifest(text: string, source = '<text>'): { rows: ManifestRow[]; issues: SampleIssue[] } {
  const rows: ManifestRow[] = [];
  const issues: SampleIssue[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      issues.push({ source, line: i + 1, message: `not valid JSON (${(error as Error).message}).` });
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ source, line: i + 1, message: `expected a JSON object with one field per modality and label, got ${JSON.stringify(value).slice(0, 60)}.` });
      continue;
    }
    rows.push({ line: i + 1, values: value as Record<string, unknown> });
  }
  return { rows, issues };
}
