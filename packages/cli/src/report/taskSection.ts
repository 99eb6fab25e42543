import type { TaskEvaluation } from '../training/evaluateTasks.js';
import type { ReportChart } from './collectCharts.js';
import { escapeHtml } from './escapeHtml.js';
import type { InputView } from './inputView.js';
import { labelExamples } from './labelExamples.js';
import { matchExamples } from './matchExamples.js';
import { metricTable } from './metricTable.js';
import { sequenceGallery } from './sequenceGallery.js';
import { fileSlug } from './taskCharts.js';

/** A chart of a section, rendered: its description and inline SVG. */
export interface SectionChart {
  chart: ReportChart;
  svg: string;
}

/** What each target type's examples are called in the report. */
const exampleHeadings: Record<string, string> = {
  sequence: 'Generated text',
  match: 'Retrieval',
  regression: 'Examples',
  class: 'Examples',
  multilabel: 'Examples',
};

/**
 * One named head's section: titled by head and target type; its test
 * metrics (greedy and beam side by side for decoder heads); its examples by
 * kind (a caption gallery, retrieval rows, a truth-vs-prediction table; for
 * regression first the predicted-vs-true scatter); then its metric curves.
 * The HTML anchor is `task-<head>`.
 */
export async function taskSection(head: string, task: TaskEvaluation, charts: SectionChart[], split: string, view: InputView): Promise<string> {
  const figure = ({ chart, svg }: SectionChart) =>
    `<h3>${escapeHtml(chart.heading)}</h3><p>${escapeHtml(chart.caption)}</p><figure>${svg}</figure>` +
    `<p class="files"><a href="${escapeHtml(chart.name)}.png">PNG</a> · <a href="${escapeHtml(chart.name)}.svg">SVG</a></p>`;
  const scatter = charts.filter((c) => c.chart.name.endsWith('-scatter'));
  const others = charts.filter((c) => !scatter.includes(c));
  const examples =
    task.type === 'sequence' ? await sequenceGallery(task, view) : task.type === 'match' ? await matchExamples(task, view) : await labelExamples(task, view);
  const count = task.examples.length;
  return (
    `<section class="task" id="task-${escapeHtml(fileSlug(head))}"><h2>${escapeHtml(head)} <span class="type">${escapeHtml(task.type)} · target ${escapeHtml(task.target)}</span></h2>` +
    `<p class="muted">Outputs: ${task.outputs.map((o) => `<code>${escapeHtml(o)}</code>`).join(', ')}.</p>` +
    `<h3>Test metrics</h3>${metricTable(task, split)}` +
    scatter.map(figure).join('') +
    `<h3>${exampleHeadings[task.type] ?? 'Examples'}</h3><p class="muted">${count} example${count === 1 ? '' : 's'} from the ${escapeHtml(split)} split${task.type === 'match' ? matchNote(task) : ''}.</p>${examples}` +
    others.map(figure).join('') +
    '</section>'
  );
}

/** Which embeddings a match head's retrieval examples compare. */
function matchNote(task: TaskEvaluation): string {
  const [query, result] = task.outputs.filter((o) => o.startsWith('embedding_')).map((o) => o.slice('embedding_'.length));
  const mine = (task.examples[0] as { query?: { modality?: string } } | undefined)?.query?.modality ?? query;
  const other = mine === query ? result : query;
  return `: each ${escapeHtml(mine)} query ranked against the ${escapeHtml(other ?? 'other')} embedding of every sample by cosine similarity, the true match shaded green`;
}
