import type { TaskLayout, TaskPrediction } from './predictTasks.js';

type Cell = string | number | undefined;

/** JSON: an array of `{ id, <head>: {...} }`, pretty-printed. */
export function taskPredictionsToJson(predictions: TaskPrediction[]): string {
  return `${JSON.stringify(predictions, null, 2)}\n`;
}

/**
 * CSV (RFC 4180) of task predictions: `id`, then the main output's
 * `prediction,p_<class>...` when the model has one, then one column group per
 * head, in the model's order:
 *
 * - class: `<head>` (top class), `<head>_p_<class>` per class;
 * - multilabel: `<head>` (predicted classes joined by `;`), `<head>_p_<class>` per class;
 * - regression: `<head>` (one number), or `<head>_<j>` per column (j from 0);
 * - sequence: `<head>` (generated text), and `<head>_score` with beam search;
 * - match (with `--query`): `<head>_<r>` and `<head>_score_<r>` for ranks r = 1..top
 *   (empty where there are fewer candidates).
 */
export function taskPredictionsToCsv(predictions: TaskPrediction[], layout: TaskLayout): string {
  const columns: { name: string; value: (p: TaskPrediction) => Cell }[] = [{ name: 'id', value: (p) => p.id }];
  if (layout.mainClasses) {
    columns.push({ name: 'prediction', value: (p) => p.prediction });
    for (const c of layout.mainClasses) columns.push({ name: `p_${c}`, value: (p) => p.probabilities?.[c] });
  }
  const of = (p: TaskPrediction, head: string): any => p[head] ?? {};
  for (const h of layout.heads) {
    const head = h.head;
    switch (h.type) {
      case 'class':
      case 'multilabel':
        columns.push({ name: head, value: (p) => (h.type === 'multilabel' ? (of(p, head).prediction as string[] | undefined)?.join(';') : of(p, head).prediction) });
        for (const c of h.classes) columns.push({ name: `${head}_p_${c}`, value: (p) => of(p, head).probabilities?.[c] });
        break;
      case 'regression':
        if (h.size === 1) columns.push({ name: head, value: (p) => of(p, head).prediction });
        else for (let j = 0; j < h.size; j++) columns.push({ name: `${head}_${j}`, value: (p) => (of(p, head).prediction as number[] | undefined)?.[j] });
        break;
      case 'sequence':
        columns.push({ name: head, value: (p) => of(p, head).prediction });
        if (h.beamWidth > 1) columns.push({ name: `${head}_score`, value: (p) => of(p, head).score });
        break;
      case 'match':
        for (let r = 0; r < h.top; r++) {
          columns.push({ name: `${head}_${r + 1}`, value: (p) => of(p, head).matches?.[r]?.id });
          columns.push({ name: `${head}_score_${r + 1}`, value: (p) => of(p, head).matches?.[r]?.score });
        }
        break;
    }
  }
  const cell = (value: Cell): string => (value === undefined ? '' : quote(String(value)));
  const rows = predictions.map((p) => columns.map((c) => cell(c.value(p))).join(','));
  return `${[columns.map((c) => quote(c.name)).join(','), ...rows].join('\n')}\n`;
}

function quote(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
