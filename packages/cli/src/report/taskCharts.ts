import type { TaskEvaluation } from '../training/evaluateTasks.js';
import type { ReportChart } from './collectCharts.js';
import { panelChart, scatterChart, type SeriesPoint } from './chartSpecs.js';
import { readsTask } from './taskMetricNames.js';

/** A head's name as a file-name part: anything but letters, digits, `_` and `-` becomes `-`. */
export function fileSlug(head: string): string {
  return head.replace(/[^A-Za-z0-9_-]/g, '-');
}

/**
 * The charts of one head's report section: for regression heads, predicted
 * against true test values; then its validation metrics per epoch (the
 * logged `val.<metric>` names that read the head's outputs, one panel each).
 */
export function taskCharts(head: string, task: TaskEvaluation, logs: Record<string, any>[], split: string): ReportChart[] {
  const charts: ReportChart[] = [];
  const epochs = logs.filter((r) => r.type === 'epoch');
  const order = Object.keys(task.metrics);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const points: SeriesPoint[] = epochs
    .flatMap((r) =>
      Object.entries(r)
        .filter(([k, v]) => k.startsWith('val.') && !k.startsWith('val.loss.') && typeof v === 'number' && readsTask(task, k.slice('val.'.length)))
        .map(([k, v]) => ({ x: r.epoch + 1, y: v as number, series: k.slice('val.'.length) })),
    )
    // Panels in the order of the head's metric table.
    .sort((a, b) => rank(a.series) - rank(b.series) || a.series.localeCompare(b.series) || a.x - b.x);
  if (task.type === 'regression' && task.scatter && task.scatter.length > 0) {
    charts.push({
      name: `task-${fileSlug(head)}-scatter`,
      heading: `${head}: predicted against true`,
      caption: `Every ${split} value of ${task.target} (${task.scatter.length} points, in the target's units); the dashed line is y = x, where perfect predictions lie.`,
      spec: scatterChart(`${head}: predicted vs true (${split})`, task.scatter, { truth: `true ${task.target}`, predicted: `predicted ${task.target}` }),
    });
  }
  if (points.length > 0) {
    const count = new Set(points.map((p) => p.series)).size;
    charts.push({
      name: `task-${fileSlug(head)}-metrics`,
      heading: `${head}: validation metrics`,
      caption: `This head's metrics on the validation split after each epoch${task.type === 'sequence' ? ' (greedy decoding)' : ''}; each panel has its own scale.`,
      spec: panelChart(`${head}: validation metrics`, points, { x: 'epoch', columns: count === 4 ? 2 : 3 }),
    });
  }
  return charts;
}
