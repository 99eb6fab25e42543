import type { ManifestRow, SampleIssue } from './manifestRow.js';

/**
 * Parses a CSV manifest (RFC 4180: comma separator, `"` quoting with `""` as
 * an escaped quote, quoted fields may span lines). The first record is the
 * header. Values stay strings; an empty cell is `''` (a missing value). A
 * record with the wrong number of cells is an issue naming its line.
 */
export function parseCsvManifest(text: string, source = '<text>'): { rows: ManifestRow[]; issues: SampleIssue[] } {
  const records = splitRecords(text);
  const rows: ManifestRow[] = [];
  const issues: SampleIssue[] = [];
  const headerRecord = records.find((r) => !(r.cells.length === 1 && r.cells[0] === ''));
  if (!headerRecord) return { rows, issues };
  const header = headerRecord.cells.map((h) => h.trim());
  const duplicate = header.find((h, i) => header.indexOf(h) !== i);
  if (duplicate !== undefined) {
    issues.push({ source, line: headerRecord.line, message: `the header names column '${duplicate}' twice.` });
    return { rows, issues };
  }
  for (const record of records) {
    if (record === headerRecord || record.line < headerRecord.line) continue;
    if (record.cells.length === 1 && record.cells[0] === '') continue;
    if (record.error) {
      issues.push({ source, line: record.line, message: record.error });
      continue;
    }
    if (record.cells.length !== header.length) {
      issues.push({ source, line: record.line, message: `expected ${header.length} cells (${header.join(', ')}), got ${record.cells.length}.` });
      continue;
    }
    rows.push({ line: record.line, values: Object.fromEntries(header.map((h, i) => [h, record.cells[i]])) });
  }
  return { rows, issues };
}

interface CsvRecord {
  line: number;
  cells: string[];
  error?: string;
}

function splitRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let start = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let afterQuote = false;
  let error: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '' && !afterQuote) {
      quoted = true;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
      afterQuote = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push({ line: start, cells, error });
      line++;
      start = line;
      cells = [];
      cell = '';
      afterQuote = false;
      error = undefined;
    } else {
      if (afterQuote || c === '"') error ??= 'a quote in the middle of a cell (quote the whole cell and write "" for a literal quote).';
      cell += c;
    }
  }
  if (quoted) error = 'a quoted cell is not closed before the end of the file.';
  if (cell !== '' || cells.length > 0 || quoted) {
    cells.push(cell);
    records.push({ line: start, cells, error });
  }
  return records;
}
