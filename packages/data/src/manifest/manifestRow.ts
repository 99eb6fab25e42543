/** One sample as read from a manifest: its 1-based line number and raw field values. */
export interface ManifestRow {
  /** 1-based line in the manifest file (for CSV, the header is line 1). */
  line: number;
  values: Record<string, unknown>;
}

/** A problem with one manifest line or sample, reported instead of (or before) stopping the run. */
export interface SampleIssue {
  /** Manifest file (or `<text>`) the sample came from. */
  source: string;
  /** 1-based manifest line. */
  line: number;
  /** Sample id when known. */
  id?: string;
  /** The field at fault, when one is. */
  field?: string;
  message: string;
}

/** Formats an issue as `manifest.jsonl:12: field 'image': ...`. */
export function formatIssue(issue: SampleIssue): string {
  const where = `${issue.source}:${issue.line}`;
  return issue.field ? `${where}: field '${issue.field}': ${issue.message}` : `${where}: ${issue.message}`;
}
