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

/**
 * Lines with points, one per series (loss terms, metrics, weights, robustness).
 * `pairedSeries` (an order of the series names) switches to the 20-colour
 * Tableau palette, whose colours come in light/dark pairs of one hue: list
 * related series next to each other (a term's training and validation loss).
 */
export function lineChart(title: string, points: SeriesPoint[], axes: { x: string; y: string; series: string; yZero?: boolean; integerX?: boolean; pairedSeries?: string[] }): TopLevelSpec {
  return {
    ...base,
    title,
    data: { values: points },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: axes.x, ...(axes.integerX ? { axis: { tickMinStep: 1, format: 'd' } } : {}) },
      y: { field: 'y', type: 'quantitative', title: axes.y, scale: { zero: axes.yZero ?? false } },
      color: { field: 'series', type: 'nominal', title: axes.series, ...(axes.pairedSeries ? { sort: axes.pairedSeries, scale: { scheme: 'tableau20' } } : {}) },
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

/**
 * Small multiples: one line panel per series (in the order given), each with
 * its own y scale, so metrics of different ranges (BLEU in [0, 100], ROUGE-L
 * in [0, 1]) stay readable. Panels are concatenated, not faceted, so a short
 * last row leaves no empty axes behind.
 */
export function panelChart(title: string, points: SeriesPoint[], axes: { x: string; columns?: number }): TopLevelSpec {
  const { width: _width, height: _height, ...shared } = base;
  const names = [...new Set(points.map((p) => p.series))];
  return {
    ...shared,
    title,
    columns: axes.columns ?? 3,
    concat: names.map((name) => ({
      title: { text: name, fontSize: 12, fontWeight: 'normal', limit: 0 },
      width: 200,
      height: 120,
      data: { values: points.filter((p) => p.series === name) },
      mark: { type: 'line', point: true, strokeWidth: 2 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: axes.x, axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'y', type: 'quantitative', title: null, scale: { zero: false } },
        tooltip: [{ field: 'series' }, { field: 'x' }, { field: 'y', format: '.4f' }],
      },
    })),
  } as TopLevelSpec;
}

/** Predicted against true values, with the y = x line a perfect model would lie on; both axes share one domain. */
export function scatterChart(title: string, pairs: { truth: number; predicted: number }[], axes: { truth: string; predicted: string }): TopLevelSpec {
  const values = pairs.filter((p) => Number.isFinite(p.truth) && Number.isFinite(p.predicted));
  const all = values.flatMap((p) => [p.truth, p.predicted]);
  let [lo, hi] = all.length > 0 ? [Math.min(...all), Math.max(...all)] : [0, 1];
  const pad = (hi - lo) * 0.05 || 1;
  [lo, hi] = [lo - pad, hi + pad];
  const scale = { domain: [lo, hi], nice: false, zero: false };
  return {
    ...base,
    title,
    width: 320,
    height: 320,
    encoding: {
      x: { field: 'truth', type: 'quantitative', title: axes.truth, scale },
      y: { field: 'predicted', type: 'quantitative', title: axes.predicted, scale },
    },
    layer: [
      { data: { values: [{ truth: lo, predicted: lo }, { truth: hi, predicted: hi }] }, mark: { type: 'line', color: '#888', strokeDash: [5, 4], strokeWidth: 1.5 } },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 40, opacity: 0.65, color: '#4c78a8' },
        encoding: { tooltip: [{ field: 'truth', format: '.4f' }, { field: 'predicted', format: '.4f' }] },
      },
    ],
  } as TopLevelSpec;
}
