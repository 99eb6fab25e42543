import type { TopLevelSpec } from 'vega-lite';
import { barChart, confusionChart, lineChart, type SeriesPoint } from './chartSpecs.js';
import { readsTask } from './taskMetricNames.js';

/** A chart the report shows: a file name, a heading, a sentence on how to read it, and its spec. */
export interface ReportChart {
  name: string;
  heading: string;
  caption: string;
  spec: TopLevelSpec;
}

/**
 * Picks the charts a run supports from its logs (@polyfuse/trainer's JSONL
 * records: `loss.<term>`, `loss.total`, `weight.<term>`, `lr`, `val.*`) and
 * its evaluation: loss per term and in total, validation metrics, the
 * weighting strategy's weights, the learning rate, the confusion matrix, and
 * per-modality contribution and robustness when the evaluation measured them.
 * Validation metrics of named heads (`evaluation.tasks`) are left to each
 * head's section (`taskCharts`); this chart keeps the others.
 */
export function collectCharts(logs: Record<string, any>[], evaluation: Record<string, any> | undefined): ReportChart[] {
  const epochs = logs.filter((r) => r.type === 'epoch');
  const charts: ReportChart[] = [];
  /** `<prefix><name>` values of an epoch record, keyed by name. */
  const prefixed = (record: Record<string, any>, prefix: string): [string, number][] =>
    Object.entries(record).filter(([k, v]) => k.startsWith(prefix) && typeof v === 'number').map(([k, v]) => [k.slice(prefix.length), v as number]);
  if (epochs.length > 0) {
    const loss: SeriesPoint[] = [];
    for (const r of epochs) {
      const x = r.epoch + 1;
      for (const [term, y] of prefixed(r, 'loss.')) loss.push({ x, y, series: term === 'total' ? 'train: total (weighted)' : `train: ${term}` });
      for (const [term, y] of prefixed(r, 'val.loss.')) loss.push({ x, y, series: term === 'total' ? 'validation: total' : `validation: ${term}` });
    }
    charts.push({
      name: 'loss',
      heading: 'Loss',
      caption: 'Mean loss per epoch: each loss term and their weighted total, on the training batches and on the validation split.',
      spec: lineChart('Loss per epoch', loss, { x: 'epoch', y: 'loss', series: 'series', integerX: true, ...pairedLossSeries(loss) }),
    });
    const tasks = Object.values((evaluation?.tasks ?? {}) as Record<string, { metrics: Record<string, number>; outputs: string[] }>);
    const metrics: SeriesPoint[] = epochs.flatMap((r) =>
      prefixed(r, 'val.')
        .filter(([name]) => !name.startsWith('loss.') && !tasks.some((task) => readsTask(task, name)))
        .map(([name, y]) => ({ x: r.epoch + 1, y, series: name })),
    );
    if (metrics.length > 0) {
      charts.push({ name: 'metrics', heading: 'Validation metrics', caption: 'Metrics on the validation split after each epoch.', spec: lineChart('Validation metrics', metrics, { x: 'epoch', y: 'value', series: 'metric', integerX: true }) });
    }
    const weights: SeriesPoint[] = epochs.flatMap((r) => prefixed(r, 'weight.').map(([term, y]) => ({ x: r.epoch + 1, y, series: term })));
    if (weights.length > 0) {
      charts.push({
        name: 'weights',
        heading: 'Loss weights',
        caption: 'The mean weight the weighting strategy gave each loss term in each epoch.',
        spec: lineChart('Loss-term weights', weights, { x: 'epoch', y: 'weight', series: 'term', yZero: true, integerX: true }),
      });
    }
    const steps = logs.filter((r) => r.type === 'step' && typeof r.lr === 'number');
    const rates = steps.length > 0 ? steps.map((r) => ({ x: r.step, y: r.lr, series: 'learning rate' })) : epochs.map((r) => ({ x: r.epoch + 1, y: r.lr, series: 'learning rate' }));
    if (rates.some((p) => typeof p.y === 'number')) {
      charts.push({
        name: 'learning-rate',
        heading: 'Learning rate',
        caption: `The learning rate the schedule set, per ${steps.length > 0 ? 'optimizer step' : 'epoch'}.`,
        spec: lineChart('Learning rate', rates, { x: steps.length > 0 ? 'step' : 'epoch', y: 'learning rate', series: 'series', yZero: true, integerX: true }),
      });
    }
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
    const bars = Object.entries(evaluation.contribution.modalities as Record<string, { contribution: number }>).map(([category, v]) => ({ category, value: v.contribution }));
    const metric = evaluation.contribution.metric as string;
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

/**
 * More loss series than the 10-colour palette has (five or more terms, each
 * trained and validated): order them term by term, training then validation,
 * so each term's two lines get the light and dark shade of one hue.
 */
function pairedLossSeries(points: SeriesPoint[]): { pairedSeries?: string[] } {
  const names = [...new Set(points.map((p) => p.series))];
  if (names.length <= 10) return {};
  const term = (name: string) => name.replace(/^(train|validation): /, '').replace(/ \(weighted\)$/, '');
  return { pairedSeries: names.sort((a, b) => term(a).localeCompare(term(b)) || a.localeCompare(b)) };
}
