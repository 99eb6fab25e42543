import type { TopLevelSpec } from 'vega-lite';
import { barChart } from '../../report/chartSpecs.js';
import { renderChart } from '../../report/renderChart.js';
import { escapeHtml } from '../../report/escapeHtml.js';
import { largerIsBetter, type SweepTable } from './sweepTable.js';
import type { SweepResult } from './sweepResults.js';

/**
 * The sweep report as one HTML page: the comparison table (failed and
 * missing runs highlighted, the best value of each metric in bold), then a
 * bar chart per test metric and one of training time, each run a bar, drawn
 * with the run report's vega-lite charts (SVG inlined, no script).
 */
export async function sweepHtml(title: string, table: SweepTable, results: SweepResult[], notes: string[]): Promise<string> {
  const header = `<tr>${table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const rows = table.rows
    .map((row) => {
      const cells = row.cells.map((cell, i) => {
        const text = escapeHtml(cell.replace(/^\*\*(.*)\*\*$/, '$1'));
        return `<td${row.best[i] ? ' class="best"' : ''}>${row.best[i] ? `<strong>${text}</strong> ★` : text}</td>`;
      });
      return `<tr class="${row.state === 'done' ? 'done' : 'not-done'}">${cells.join('')}</tr>`;
    })
    .join('\n');
  const done = results.filter((r) => r.state === 'done');
  const charts: string[] = [];
  for (const metric of table.metrics) {
    const bars = done.filter((r) => r.metrics[metric] !== undefined).map((r) => ({ category: r.id, value: r.metrics[metric]! }));
    const spec = barChart(`${metric} (test, ${largerIsBetter(metric) ? 'higher' : 'lower'} is better)`, bars, { category: 'run', value: metric });
    charts.push(`<figure>${(await renderChart(withFullIds(spec))).svg}</figure>`);
  }
  const timed = done.filter((r) => r.trainingSeconds !== undefined).map((r) => ({ category: r.id, value: r.trainingSeconds! }));
  if (timed.length > 0) charts.push(`<figure>${(await renderChart(withFullIds(barChart('Training time (seconds)', timed, { category: 'run', value: 'seconds' })))).svg}</figure>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font-family: 'DejaVu Sans', system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; } td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
tr.not-done td { background: #fde8e8; } td.best { background: #e6f4ea; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
</style></head><body>
<h1>${escapeHtml(title)}</h1>
${notes.map((n) => `<p>${escapeHtml(n)}</p>`).join('\n')}
<table>
${header}
${rows}
</table>
<h2>Charts</h2>
${done.length === 0 ? '<p>No run has finished yet.</p>' : charts.join('\n')}
</body></html>
`;
}

/** Run ids are long (`0003-fusion=gated-seed=2`); vega-lite cuts axis labels at 180 px by default. */
function withFullIds(spec: TopLevelSpec): TopLevelSpec {
  const encoding = (spec as unknown as { encoding: Record<string, Record<string, unknown>> }).encoding;
  return { ...spec, encoding: { ...encoding, y: { ...encoding.y, axis: { labelLimit: 360 } } } } as unknown as TopLevelSpec;
}
