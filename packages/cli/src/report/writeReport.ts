import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '@polyfuse/core';
import { writeDirectoryAtomic } from '@polyfuse/core/node';
import { readJsonl, runPaths, exists } from '../run/runFolder.js';
import { collectCharts } from './collectCharts.js';
import { renderChart } from './renderChart.js';

/**
 * Writes `<run>/report/`: index.html plus each chart as SVG and PNG. The HTML
 * inlines the SVGs and styles, so it opens from disk (file://) with no server
 * and no network. The folder is replaced atomically.
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
  files['index.html'] = page(config, logs, evaluation, sections);
  await writeDirectoryAtomic(paths.report, files);
  return { html: path.join(paths.report, 'index.html'), charts: charts.map((c) => c.name) };
}

function page(config: Record<string, any>, logs: Record<string, any>[], evaluation: Record<string, any> | undefined, sections: string[]): string {
  const epochs = logs.filter((r) => r.type === 'epoch');
  const rows: [string, string][] = [
    ['run', config.name],
    ['manifest', config.data?.manifest],
    ['modalities', Object.entries(config.model?.encoders ?? {}).map(([m, e]: [string, any]) => `${m}: ${e.name}`).join(', ')],
    ['fusion / head', `${config.model?.fusion?.name} / ${config.model?.head?.name}${config.model?.auxiliaryHeads ? ` (+ auxiliary ${config.model.auxiliaryHeads.name})` : ''}`],
    ['loss terms', Object.entries(config.loss?.terms ?? {}).map(([t, v]: [string, any]) => `${t}: ${v.loss}(${v.output})`).join(', ') + `; weighting ${config.loss?.weighting?.name}`],
    ['optimizer / schedule', `${config.optimizer?.name} ${JSON.stringify(config.optimizer?.config ?? {})} / ${config.schedule?.name ?? 'constant'}`],
    ['epochs run', `${epochs.length} of ${config.training?.epochs}, batch size ${config.training?.batchSize}, seed ${config.training?.seed}`],
  ];
  const results = evaluation
    ? `<table><tr><th>${escape(evaluation.split)} split (${evaluation.count} samples)</th><th>value</th></tr>` +
      Object.entries(evaluation.metrics as Record<string, number>).map(([k, v]) => `<tr><td>${escape(k)}</td><td>${v.toFixed(4)}</td></tr>`).join('') +
      `<tr><td>cross-entropy</td><td>${Number(evaluation.loss).toFixed(4)}</td></tr></table>`
    : '<p>No evaluation was recorded for this run.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>polyfuse report: ${escape(config.name)}</title>
<style>
body { font-family: 'DejaVu Sans', system-ui, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
figure { margin: 0; } figure svg { max-width: 100%; height: auto; } .files { font-size: 0.85em; color: #666; }
</style></head><body>
<h1>polyfuse report: ${escape(config.name)}</h1>
<p>Generated ${new Date().toISOString()} by <code>polyfuse report</code>.</p>
<h2>Run</h2><table>${rows.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(String(v ?? ''))}</td></tr>`).join('')}</table>
<h2>Results</h2>${results}
${sections.join('\n')}
</body></html>
`;
}

function escape(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
