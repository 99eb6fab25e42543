import { formatDuration } from '../../program/progress.js';
import { pathLabels, valueText, varyingPaths } from '../expand/runIds.js';
import type { SweepResult } from './sweepResults.js';

/** Metric names for which smaller is better (losses and errors); every other metric is better larger. */
const smallerIsBetter = /(^|_)(loss|mse|mae|rmse|error|wer|cer|perplexity)(_|$)/i;

/** A cell of the comparison table, with whether it is the best of its metric column. */
export interface SweepTable {
  columns: string[];
  rows: { state: string; cells: string[]; best: boolean[] }[];
  metrics: string[];
}

/** True when a larger value of this metric is better (accuracy, F1, BLEU); false for losses and errors. */
export function largerIsBetter(metric: string): boolean {
  return !smallerIsBetter.test(metric);
}

/**
 * The comparison table of a sweep, in index order: index, id, one column per
 * override path whose value differs between runs, state, each test metric
 * (4 decimals), parameters and training time. The best value of each metric
 * among done runs is marked (the largest, or the smallest for losses and
 * errors; every run that ties is marked).
 */
export function sweepTable(results: SweepResult[]): SweepTable {
  const varying = varyingPaths(results.map((r) => r.overrides));
  const labels = pathLabels(varying);
  const metrics = [...new Set(results.flatMap((r) => Object.keys(r.metrics)))];
  const best = new Map(
    metrics.map((m) => {
      const values = results.map((r) => r.metrics[m]).filter((v): v is number => typeof v === 'number');
      return [m, values.length === 0 ? undefined : largerIsBetter(m) ? Math.max(...values) : Math.min(...values)];
    }),
  );
  const columns = ['index', 'id', ...varying.map((p) => labels.get(p)!), 'state', ...metrics, 'parameters', 'training time'];
  const rows = results.map((r) => {
    const state = r.state === 'done' ? 'done' : `**${r.state.toUpperCase()}**`;
    const metricCells = metrics.map((m) => (typeof r.metrics[m] === 'number' ? r.metrics[m]!.toFixed(4) : '–'));
    const cells = [String(r.index), r.id, ...varying.map((p) => (p in r.overrides ? cellText(r.overrides[p]) : '(base)')), state, ...metricCells, r.parameters?.toLocaleString('en-US') ?? '–', r.trainingSeconds !== undefined ? trainingTime(r.trainingSeconds) : '–'];
    const bestFlags = cells.map((_, i) => {
      const m = metrics[i - 3 - varying.length];
      return m !== undefined && r.metrics[m] !== undefined && r.metrics[m] === best.get(m);
    });
    return { state: r.state, cells, best: bestFlags };
  });
  return { columns, rows, metrics };
}

/** The table as GitHub markdown; the best value of each metric in bold with a ★. */
export function sweepMarkdown(title: string, table: SweepTable, notes: string[] = []): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  const header = `| ${table.columns.map(escape).join(' | ')} |`;
  const rule = `| ${table.columns.map((_, i) => (i === 0 ? '---:' : '---')).join(' | ')} |`;
  const rows = table.rows.map((row) => `| ${row.cells.map((cell, i) => (row.best[i] ? `**${escape(cell)}** ★` : escape(cell))).join(' | ')} |`);
  return [`# ${title}`, '', ...notes.map((n) => `${n}`), ...(notes.length ? [''] : []), header, rule, ...rows, ''].join('\n');
}

/** Seconds with one decimal under a minute (tiny runs differ there), else `m:ss` / `h:mm:ss`. */
function trainingTime(seconds: number): string {
  return seconds < 60 ? `${seconds.toFixed(1)} s` : formatDuration(seconds);
}

/** An override value in a table cell: scalars and lists as in ids, a section as its name and its config (`gated {"units":64}`). */
function cellText(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return valueText(value);
  const { name, config, ...rest } = value as { name?: unknown; config?: unknown };
  if (typeof name !== 'string' || Object.keys(rest).length > 0) return JSON.stringify(value);
  return config === undefined || (typeof config === 'object' && config !== null && Object.keys(config).length === 0) ? name : `${name} ${JSON.stringify(config)}`;
}
