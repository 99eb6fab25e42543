import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '@polyfuse/core';
import { writeDirectoryAtomic } from '@polyfuse/core/node';
import { readJsonl, runPaths, exists } from '../run/runFolder.js';
import type { TaskEvaluation } from '../training/evaluateTasks.js';
import { collectCharts } from './collectCharts.js';
import { escapeHtml as escape } from './escapeHtml.js';
import { createThumbnailer } from './imageThumbnail.js';
import { renderChart } from './renderChart.js';
import { taskCharts, fileSlug } from './taskCharts.js';
import { readsTask } from './taskMetricNames.js';
import { taskSection, type SectionChart } from './taskSection.js';

/**
 * Writes `<run>/report/`: index.html plus each chart as SVG and PNG. The HTML
 * inlines the SVGs, styles and images (thumbnails as `data:` URIs), so it
 * opens from disk (file://) with no server and no network. A run with named
 * heads gets one section per head after the run-wide charts (see
 * `taskSection`). The folder is replaced atomically.
 */
export async function writeReport(runDir: string): Promise<{ html: string; charts: string[] }> {
  const paths = runPaths(runDir);
  if (!(await exists(paths.config))) {
    throw new InputError(`${runDir} is not a polyfuse run folder (no config.json). Give the --out folder of 'polyfuse train'.`);
  }
  const config = JSON.parse(await fs.readFile(paths.config, 'utf8')) as Record<string, any>;
  const logs = await readJsonl(paths.logs);
  const evaluation = (await exists(paths.evaluation)) ? (JSON.parse(await fs.readFile(paths.evaluation, 'utf8')) as Record<string, any>) : undefined;
  const charts = collectCharts(logs, evaluation);
  const files: Record<string, string | Uint8Array> = {};
  const sections: string[] = [];
  for (const chart of charts) {
    const rendered = await renderChart(chart.spec);
    files[`${chart.name}.svg`] = rendered.svg;
    files[`${chart.name}.png`] = rendered.png;
    sections.push(
      `<section><h2>${escape(chart.heading)}</h2><p>${escape(chart.caption)}</p><figure>${rendered.svg}</figure>` +
        `<p class="files"><a href="${chart.name}.png">PNG</a> · <a href="${chart.name}.svg">SVG</a></p></section>`,
    );
  }
  const tasks = (evaluation?.tasks ?? {}) as Record<string, TaskEvaluation>;
  const view = { modalityTypes: Object.fromEntries(Object.entries(config.data?.modalities ?? {}).map(([m, spec]: [string, any]) => [m, String(spec?.type ?? 'file')])), thumbnail: createThumbnailer() };
  const taskChartNames: string[] = [];
  for (const [head, task] of Object.entries(tasks)) {
    const rendered: SectionChart[] = [];
    for (const chart of taskCharts(head, task, logs, evaluation!.split)) {
      const { svg, png } = await renderChart(chart.spec);
      files[`${chart.name}.svg`] = svg;
      files[`${chart.name}.png`] = png;
      rendered.push({ chart, svg });
      taskChartNames.push(chart.name);
    }
    sections.push(await taskSection(head, task, rendered, evaluation!.split, view));
  }
  const skipped = await readJsonl(paths.skipped);
  if (skipped.length > 0) sections.push(skippedSection(skipped));
  files['index.html'] = page(config, logs, evaluation, sections);
  await writeDirectoryAtomic(paths.report, files);
  return { html: path.join(paths.report, 'index.html'), charts: [...charts.map((c) => c.name), ...taskChartNames] };
}

/** Rows of the skipped-samples table; the rest are in skipped.jsonl, which the page names. */
const skippedRowsShown = 1000;

/** The samples training left out (`skipped.jsonl`): manifest line, id, field and reason of each. */
function skippedSection(skipped: Record<string, any>[]): string {
  const rows = skipped
    .slice(0, skippedRowsShown)
    .map((s) => `<tr><td>${escape(`${path.basename(String(s.manifest ?? ''))}:${s.line}`)}</td><td>${escape(String(s.id ?? ''))}</td><td>${escape(String(s.field ?? ''))}</td><td>${escape(String(s.reason ?? ''))}</td></tr>`)
    .join('');
  const more = skipped.length > skippedRowsShown ? `<p>The first ${skippedRowsShown} are shown; all ${skipped.length} are in <code>skipped.jsonl</code>.</p>` : '';
  return (
    `<section id="skipped"><h2>Skipped samples (${skipped.length})</h2>` +
    `<p>Samples left out of training and evaluation because they could not be used; the split sizes count only the others. The run folder's <code>skipped.jsonl</code> lists them too.</p>` +
    `<table><tr><th>manifest line</th><th>id</th><th>field</th><th>reason</th></tr>${rows}</table>${more}</section>`
  );
}

/** Styles of the per-head sections, added only for runs with named heads. */
const taskStyles = `
h2 .type { font-weight: normal; font-size: 0.7em; color: #666; } h3 { margin: 1.2em 0 0.3em; font-size: 1.05em; }
.muted { color: #666; font-size: 0.9em; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 8px; background: #fafafa; overflow-wrap: anywhere; }
.card img.input { display: block; margin: 4px auto 8px; max-width: 100%; height: auto; border: 1px solid #ccc; }
.card-id { font-size: 0.8em; color: #666; font-family: monospace; }
.card dl { margin: 0.4em 0 0; } .card dt { font-size: 0.8em; color: #666; margin-top: 0.4em; } .card dd { margin: 0; }
dd.generated { font-weight: bold; } .tick { color: #2e7d32; } ul.references { margin: 0; padding-left: 1.2em; font-size: 0.9em; }
.input-line { font-size: 0.9em; margin: 2px 0; } .modality { font-size: 0.75em; color: #555; background: #eee; border-radius: 3px; padding: 0 4px; }
q { quotes: '\\201C' '\\201D'; } .numbers, .file { font-family: monospace; font-size: 0.85em; }
table.matches td { vertical-align: top; max-width: 150px; font-size: 0.9em; overflow-wrap: anywhere; }
table.matches td.hit { background: #e6f4ea; outline: 2px solid #2e7d32; outline-offset: -2px; }
table.matches td.rank { text-align: center; font-weight: bold; font-size: 1.1em; } table.matches td.rank.first { color: #2e7d32; }
.score { font-size: 0.8em; color: #666; } table img.input { display: block; } img.upscaled { image-rendering: pixelated; }
table.examples td { vertical-align: top; } tr.wrong td { background: #fdecea; }
del { color: #b71c1c; } ins { color: #b71c1c; text-decoration: underline wavy; }
`;

function page(config: Record<string, any>, logs: Record<string, any>[], evaluation: Record<string, any> | undefined, sections: string[]): string {
  const epochs = logs.filter((r) => r.type === 'epoch');
  const tasks = (evaluation?.tasks ?? {}) as Record<string, TaskEvaluation>;
  const hasTasks = Object.keys(tasks).length > 0;
  const heads = Object.entries((config.model?.heads ?? {}) as Record<string, any>);
  const rows: [string, string][] = [
    ['run', config.name],
    ['manifest', config.data?.manifest],
    ['modalities', Object.entries(config.model?.encoders ?? {}).map(([m, e]: [string, any]) => `${m}: ${e.name}`).join(', ')],
    heads.length > 0
      ? ['fusion / heads', `${config.model?.fusion?.name ?? 'none (each head reads one modality)'} / ${config.model?.head ? `${config.model.head.name}; ` : ''}${heads.map(([h, s]) => `${h}: ${s.name} → ${s.target}${s.input && s.input !== 'fused' ? ` (from ${s.input})` : ''}`).join(', ')}`]
      : ['fusion / head', `${config.model?.fusion?.name} / ${config.model?.head?.name}${config.model?.auxiliaryHeads ? ` (+ auxiliary ${config.model.auxiliaryHeads.name})` : ''}`],
    ['loss terms', Object.entries(config.loss?.terms ?? {}).map(([t, v]: [string, any]) => `${t}: ${v.loss}(${Array.isArray(v.outputs) ? v.outputs.join(', ') : v.output})`).join(', ') + `; weighting ${config.loss?.weighting?.name}`],
    ['optimizer / schedule', `${config.optimizer?.name} ${JSON.stringify(config.optimizer?.config ?? {})} / ${config.schedule?.name ?? 'constant'}`],
    ['epochs run', `${epochs.length} of ${config.training?.epochs}, batch size ${config.training?.batchSize}, seed ${config.training?.seed}`],
  ];
  // With named heads, each head's metrics are in its own section; this table keeps the rest (a `model.head` classifier's).
  const overall = Object.entries((evaluation?.metrics ?? {}) as Record<string, number>).filter(([k]) => !Object.values(tasks).some((task) => readsTask(task, k)));
  const overallTable =
    overall.length > 0 || typeof evaluation?.loss === 'number'
      ? `<table><tr><th>${escape(evaluation?.split)} split (${evaluation?.count} samples)</th><th>value</th></tr>` +
        overall.map(([k, v]) => `<tr><td>${escape(k)}</td><td>${v.toFixed(4)}</td></tr>`).join('') +
        (hasTasks && typeof evaluation?.loss !== 'number' ? '' : `<tr><td>cross-entropy</td><td>${Number(evaluation?.loss).toFixed(4)}</td></tr>`) +
        '</table>'
      : '';
  const taskTable = hasTasks
    ? `<table><tr><th>head</th><th>target (type)</th><th>${escape(evaluation!.split)} metrics (${evaluation!.count} samples)</th></tr>` +
      Object.entries(tasks)
        .map(([head, task]) => {
          const metrics = Object.entries(task.metrics).map(([k, v]) => `${escape(k)} ${typeof v === 'number' ? v.toFixed(4) : '–'}`).join(', ');
          return `<tr><td><a href="#task-${escape(fileSlug(head))}">${escape(head)}</a></td><td>${escape(task.target)} (${escape(task.type)})</td><td>${metrics}</td></tr>`;
        })
        .join('') +
      '</table>'
    : '';
  const results = evaluation ? overallTable + taskTable : '<p>No evaluation was recorded for this run.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>polyfuse report: ${escape(config.name)}</title>
<style>
body { font-family: 'DejaVu Sans', system-ui, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
figure { margin: 0; } figure svg { max-width: 100%; height: auto; } .files { font-size: 0.85em; color: #666; }
${hasTasks ? taskStyles.trimStart() : ''}</style></head><body>
<h1>polyfuse report: ${escape(config.name)}</h1>
<p>Generated ${new Date().toISOString()} by <code>polyfuse report</code>.</p>
<h2>Run</h2><table>${rows.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(String(v ?? ''))}</td></tr>`).join('')}</table>
<h2>Results</h2>${results}
${sections.join('\n')}
</body></html>
`;
}
