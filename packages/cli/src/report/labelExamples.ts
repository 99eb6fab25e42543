import type { TaskEvaluation } from '../training/evaluateTasks.js';
import { escapeHtml } from './escapeHtml.js';
import { formatNumber, renderInputs, type InputView } from './inputView.js';

/** A class, multi-label or regression example as evaluation.json holds it. */
interface LabelExample {
  id: string;
  inputs?: Record<string, unknown>;
  truth: unknown;
  predicted: unknown;
}

/** Longer side of example thumbnails, in pixels. */
const rowSide = 64;

/**
 * A small table of examples, truth against prediction, for class,
 * multi-label and regression heads. Wrong rows are shaded (class: another
 * class; multi-label: another set, with missed labels struck through and
 * extra ones marked); regression rows show the error instead.
 */
export async function labelExamples(task: TaskEvaluation, view: InputView): Promise<string> {
  const examples = task.examples as unknown as LabelExample[];
  if (examples.length === 0) return '<p class="muted">No examples were recorded.</p>';
  const regression = task.type === 'regression';
  const header = `<tr><th>sample</th><th>inputs</th><th>true ${escapeHtml(task.target)}</th><th>predicted</th>${regression ? '<th>error</th>' : ''}</tr>`;
  const rows = await Promise.all(
    examples.map(async (example) => {
      const inputs = await renderInputs(view, example.inputs, rowSide);
      let cells: string;
      let wrong = false;
      if (regression) {
        const truth = toNumbers(example.truth);
        const predicted = toNumbers(example.predicted);
        const error = predicted.map((p, k) => p - (truth[k] ?? NaN));
        cells = `<td class="num">${escapeHtml(truth.map(formatNumber).join(', '))}</td><td class="num">${escapeHtml(predicted.map(formatNumber).join(', '))}</td><td class="num">${escapeHtml(error.map((e) => (e >= 0 ? '+' : '') + formatNumber(e)).join(', '))}</td>`;
      } else if (Array.isArray(example.truth) || Array.isArray(example.predicted)) {
        const truth = (Array.isArray(example.truth) ? example.truth : []).map(String);
        const predicted = (Array.isArray(example.predicted) ? example.predicted : []).map(String);
        wrong = truth.length !== predicted.length || truth.some((t) => !predicted.includes(t));
        const truthCell = truth.map((t) => (predicted.includes(t) ? escapeHtml(t) : `<del title="missed">${escapeHtml(t)}</del>`)).join(', ') || '<span class="muted">(none)</span>';
        const predictedCell = predicted.map((p) => (truth.includes(p) ? escapeHtml(p) : `<ins title="not a true label">${escapeHtml(p)}</ins>`)).join(', ') || '<span class="muted">(none)</span>';
        cells = `<td>${truthCell}</td><td>${predictedCell}</td>`;
      } else {
        wrong = example.truth !== example.predicted;
        cells = `<td>${escapeHtml(example.truth ?? '')}</td><td>${escapeHtml(example.predicted ?? '')}${wrong ? '' : ' ✓'}</td>`;
      }
      return `<tr${wrong ? ' class="wrong"' : ''}><td>${escapeHtml(example.id)}</td><td class="inputs">${inputs}</td>${cells}</tr>`;
    }),
  );
  return `<table class="examples">${header}${rows.join('')}</table>`;
}

function toNumbers(value: unknown): number[] {
  return (Array.isArray(value) ? value : [value]).map(Number);
}
