import type { TopLevelSpec } from 'vega-lite';
import { barChart, confusionChart, lineChart, type SeriesPoint } from './chartSpecs.js';

/** A chart the report shows: a file name, a heading, a sentence on how to read it, and its spec. */
export interface ReportChart {
  name: string;
  heading: string;
  caption: string;
  spec: TopLevelSpec;
}

/**
 * Picks the charts a run supports from its epoch logs and evaluation: loss
 * per term and in total, validation metrics, the weighting strategy's
 * weights, the learning rate, the confusion matrix, and per-modality
 * contribution and robustness when the evaluation measured them.
 */
export function collectCharts(logs: Record<string, any>[], evaluation: Record<string, any> | undefined): ReportChart[] {
  const epochs = logs.filter((r) => r.type === 'epoch');
  const charts: ReportChart[] = [];
  if (epochs.length > 0) {
    const loss: SeriesPoint[] = [];
    for (const r of epochs) {
      const x = r.epoch + 1;
      loss.push({ x, y: r.loss, series: 'total (weighted)' });
      for (const [term, value] of Object.entries(r.terms as Record<string, number>)) loss.push({ x, y: value, series: `term: ${term}` });
      if (r.validation?.loss !== undefined) loss.push({ x, y: r.validation.loss, series: 'validation' });
    }
    charts.push({
      name: 'loss',
      heading: 'Loss',
      caption: 'Mean training loss per epoch: the weighted total, each loss term, and the validation cross-entropy of the fused output.',
      spec: lineChart('Loss per epoch', loss, { x: 'epoch', y: 'loss', series: 'series', integerX: true }),
    });
    const metrics: SeriesPoint[] = [];
    for (const r of epochs) {
      for (const [name, value] of Object.entries((r.validation ?? {}) as Record<string, number>)) {
        if (name !== 'loss') metrics.push({ x: r.epoch + 1, y: value, series: name });
      }
    }
    if (metrics.length > 0) {
      charts.push({ name: 'metrics', heading: 'Validation metrics', caption: 'Metrics on the validation split after each epoch.', spec: lineChart('Validation metrics', metrics, { x: 'epoch', y: 'value', series: 'metric', integerX: true }) });
    }
    const weights: SeriesPoint[] = epochs.flatMap((r) => Object.entries(r.weights as Record<string, number>).map(([term, y]) => ({ x: r.epoch + 1, y, series: term })));
    charts.push({
      name: 'weights',
      heading: 'Loss weights',
      caption: 'The weight the weighting strategy gave each loss term in each epoch.',
      spec: lineChart('Loss-term weights', weights, { x: 'epoch', y: 'weight', series: 'term', yZero: true, integerX: true }),
    });
    charts.push({
      name: 'learning-rate',
      heading: 'Learning rate',
      caption: 'The learning rate the schedule set for each epoch.',
      spec: lineChart('Learning rate', epochs.map((r) => ({ x: r.epoch + 1, y: r.learningRate, series: 'learning rate' })), { x: 'epoch', y: 'learning rate', series: 'series', yZero: true, integerX: true }),
    });
  }
  if (evaluation?.confusion) {
    charts.push({
      name: 'confusion',
      heading: 'Confusion matrix',
      caption: `Counts on the ${evaluation.split} split: rows are true classes, columns predictions.`,
      spec: confusionChart(`Confusion matrix (${evaluation.split})`, evaluation.classes, evaluation.confusion),
    });
  }
  if (evaluation?.contribution) {
    const bars = Object.entries(evaluation.contribution as Record<string, { contribution: number }>).map(([category, v]) => ({ category, value: v.contribution }));
    const metric = evaluation.robustness?.metric ?? Object.keys(evaluation.metrics)[0];
    charts.push({
      name: 'contribution',
      heading: 'Modality contribution',
      caption: `How much ${metric} drops on the ${evaluation.split} split when one modality is masked for every sample.`,
      spec: barChart('Per-modality contribution', bars, { category: 'modality', value: `${metric} drop when masked` }),
    });
  }
  if (evaluation?.robustness) {
    const points = (evaluation.robustness.points as { modality: string; rate: number; value: number }[]).map((p) => ({ x: p.rate, y: p.value, series: p.modality }));
    charts.push({
      name: 'robustness',
      heading: 'Robustness to a missing modality',
      caption: `The ${evaluation.robustness.metric} on the ${evaluation.split} split when a modality is missing for a growing fraction of samples.`,
      spec: lineChart('Robustness to a missing modality', points, { x: 'fraction of samples missing the modality', y: evaluation.robustness.metric, series: 'missing modality' }),
    });
  }
  return charts;
}
