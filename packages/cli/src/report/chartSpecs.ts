import type { TopLevelSpec } from 'vega-lite';

/** Shared look: a fixed size, readable axes, the Tableau palette. */
const base = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 460,
  height: 260,
  background: 'white',
  config: { font: 'DejaVu Sans', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, labelLimit: 260 }, title: { fontSize: 14 } },
} as const;

/** One point of a line chart: x, y and its series name. */
export interface SeriesPoint {
  x: number;
  y: number;
  series: string;
}

/** Lines with points, one per series (loss terms, metrics, weights, robustness). */
export function lineChart(title: string, points: SeriesPoint[], axes: { x: string; y: string; series: string; yZero?: boolean; integerX?: boolean }): TopLevelSpec {
  return {
    ...base,
    title,
    data: { values: points },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: axes.x, ...(axes.integerX ? { axis: { tickMinStep: 1, format: 'd' } } : {}) },
      y: { field: 'y', type: 'quantitative', title: axes.y, scale: { zero: axes.yZero ?? false } },
      color: { field: 'series', type: 'nominal', title: axes.series },
      tooltip: [{ field: 'series' }, { field: 'x' }, { field: 'y', format: '.4f' }],
    },
  } as TopLevelSpec;
}

/** A confusion-matrix heatmap with the count in each cell (rows: true class, columns: predicted). */
export function confusionChart(title: string, classes: string[], matrix: number[][]): TopLevelSpec {
  const values = matrix.flatMap((row, t) => row.map((count, p) => ({ actual: classes[t], predicted: classes[p], count })));
  const max = Math.max(1, ...values.map((v) => v.count));
  const size = Math.min(420, Math.max(160, classes.length * 36));
  return {
    ...base,
    title,
    width: size,
    height: size,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: classes, title: 'predicted class', axis: { labelAngle: 0 } },
      y: { field: 'actual', type: 'ordinal', sort: classes, title: 'true class' },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' }, title: 'samples' } } },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Horizontal bars: one value per category (modality contribution). */
export function barChart(title: string, bars: { category: string; value: number }[], axes: { category: string; value: string }): TopLevelSpec {
  return {
    ...base,
    title,
    height: Math.max(80, bars.length * 40),
    data: { values: bars },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'category', type: 'nominal', title: axes.category },
      x: { field: 'value', type: 'quantitative', title: axes.value },
      color: { field: 'category', type: 'nominal', legend: null },
      tooltip: [{ field: 'category' }, { field: 'value', format: '.4f' }],
    },
  } as TopLevelSpec;
}
