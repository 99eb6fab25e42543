import { ConfigError } from '@polyfuse/core';
import type { ManifestRow, SampleIssue } from './manifestRow.js';

/**
 * Decodes a manifest's bytes. With `encoding` `utf-8` (the default) every
 * line must be valid UTF-8: a line that is not is decoded with U+FFFD in
 * place of the bad bytes and returned in `badLines` (1-based line number →
 * what was wrong), so the caller reports those samples instead of training on
 * altered text. Any other encoding the WHATWG Encoding standard names
 * (`latin1`, `windows-1252`, `utf-16le`, `shift_jis`, ...) decodes the whole
 * file as that encoding. A leading byte-order mark is dropped.
 */
export function decodeManifest(bytes: Uint8Array, encoding = 'utf-8', field = 'encoding'): { text: string; badLines: Map<number, string> } {
  const badLines = new Map<number, string>();
  const decoder = textDecoder(encoding, field);
  if (decoder.encoding !== 'utf-8') return { text: decoder.decode(bytes), badLines };
  const strict = new TextDecoder('utf-8', { fatal: true });
  try {
    return { text: strict.decode(bytes), badLines };
  } catch {
    // Find the lines at fault; the rest of the file is fine.
  }
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    const bad = invalidUtf8(bytes.subarray(start, i));
    if (bad !== undefined) {
      badLines.set(line, `the line is not valid UTF-8 (byte 0x${bytes[start + bad]!.toString(16).padStart(2, '0')} at column ${bad + 1}); save the manifest as UTF-8, or set its encoding (e.g. 'latin1').`);
    }
    line++;
    start = i + 1;
  }
  return { text: new TextDecoder('utf-8').decode(bytes), badLines };
}

/** A TextDecoder for `encoding`, or a ConfigError naming `field` and the value. */
export function textDecoder(encoding: string, field: string): TextDecoder {
  try {
    return new TextDecoder(encoding);
  } catch {
    throw new ConfigError(`${field}: unknown text encoding '${encoding}'. Use a WHATWG encoding label such as 'utf-8', 'latin1', 'windows-1252' or 'utf-16le'.`);
  }
}

/** The offset of the first byte that makes `bytes` invalid UTF-8, or undefined when it is valid. */
export function invalidUtf8(bytes: Uint8Array): number | undefined {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return undefined;
  } catch {
    // Slow path: narrow down the first bad byte.
  }
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (need > 0) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + need + 1));
      } catch {
        return i;
      }
    }
    i += need + 1;
  }
  return 0;
}

/**
 * Moves the rows that span a line of `badLines` (a CSV record may span
 * several) to issues, so they are skipped or stop the run like any bad line.
 */
export function rejectBadLines(rows: ManifestRow[], issues: SampleIssue[], badLines: Map<number, string>, source: string, format: 'jsonl' | 'csv'): ManifestRow[] {
  if (badLines.size === 0) return rows;
  const kept: ManifestRow[] = [];
  const bad = [...badLines.keys()].sort((a, b) => a - b);
  const starts = [...new Set([...rows.map((r) => r.line), ...issues.map((i) => i.line)])].sort((a, b) => a - b);
  const reported = new Set<number>();
  rows.forEach((row) => {
    // A JSONL row is one line; a CSV record runs to the next record.
    const end = format === 'jsonl' ? row.line + 1 : (starts.find((l) => l > row.line) ?? Number.POSITIVE_INFINITY);
    const line = bad.find((l) => l >= row.line && l < end);
    if (line === undefined) {
      kept.push(row);
      return;
    }
    reported.add(line);
    issues.push({ source, line: row.line, message: badLines.get(line)! });
  });
  // Lines that made no row (a JSONL line the replacement characters broke is already an issue): name the encoding there too.
  for (const issue of issues) {
    const message = badLines.get(issue.line);
    if (message && !reported.has(issue.line) && issue.source === source) {
      issue.message = message;
      reported.add(issue.line);
    }
  }
  issues.sort((a, b) => a.line - b.line);
  return kept;
}
