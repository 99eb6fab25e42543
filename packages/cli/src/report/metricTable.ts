import type { TaskEvaluation } from '../training/evaluateTasks.js';
import { escapeHtml } from './escapeHtml.js';

/**
 * A head's test metrics as a table: one row per metric (its logged name);
 * for decoder heads scored with beam search too, greedy and beam side by side.
 */
export function metricTable(task: TaskEvaluation, split: string): string {
  const names = Object.keys(task.metrics);
  if (names.length === 0) return '<p class="muted">No metrics read this head\'s outputs.</p>';
  const beam = task.beam;
  const header = beam ? `<tr><th>${escapeHtml(split)} metric</th><th>greedy</th><th>beam search (width ${escapeHtml(beam.width)})</th></tr>` : `<tr><th>${escapeHtml(split)} metric</th><th>value</th></tr>`;
  const rows = names.map((name) => `<tr><td>${escapeHtml(name)}</td><td class="num">${format(task.metrics[name])}</td>${beam ? `<td class="num">${format(beam.metrics[name])}</td>` : ''}</tr>`);
  return `<table class="metrics">${header}${rows.join('')}</table>`;
}

function format(value: number | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(4) : '–';
}
