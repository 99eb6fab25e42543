// Benchmark: how long `polyfuse report` takes to render a run's charts
// (vega-lite -> vega -> SVG -> PNG) and write the HTML.
// Build first: npx tsc -b packages/cli ; then: node bench/cli/report.mjs
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeReport, renderChart, collectCharts } from '../../packages/cli/dist/index.js';

const epochs = 50;
const classes = Array.from({ length: 10 }, (_, i) => String(i));
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-bench-report-'));
await fs.mkdir(path.join(dir, 'logs'));
await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify({ name: 'bench', data: {}, model: { encoders: {} }, loss: { terms: {} }, training: { epochs } }));
const terms = ['fused', 'image', 'audio'];
// Epoch records as @polyfuse/trainer's JSONL logger writes them.
const logs = Array.from({ length: epochs }, (_, epoch) => ({
  type: 'epoch', epoch, step: (epoch + 1) * 100, seconds: 1, 'loss.total': 2 / (epoch + 1), lr: 0.001 * (1 - epoch / epochs),
  ...Object.fromEntries(terms.map((t, k) => [`loss.${t}`, (2 + k) / (epoch + 1)])),
  ...Object.fromEntries(terms.map((t, k) => [`weight.${t}`, 1 + 0.1 * Math.sin(epoch + k)])),
  'val.loss.total': 1.5 / (epoch + 1), 'val.accuracy': 1 - 0.5 / (epoch + 1), 'val.f1': 1 - 0.6 / (epoch + 1),
}));
await fs.writeFile(path.join(dir, 'logs/train.jsonl'), logs.map((r) => JSON.stringify(r)).join('\n') + '\n');
const confusion = classes.map((_, t) => classes.map((_, p) => (t === p ? 90 : 1)));
const points = ['image', 'audio'].flatMap((modality) => [0, 0.25, 0.5, 0.75, 1].map((rate) => ({ modality, rate, value: 0.98 - rate * 0.3 })));
await fs.writeFile(path.join(dir, 'evaluation.json'), JSON.stringify({ split: 'test', count: 1000, classes, metrics: { accuracy: 0.9 }, loss: 0.3, confusion, contribution: { metric: 'accuracy', modalities: { image: { contribution: 0.4 }, audio: { contribution: 0.1 } } }, robustness: { metric: 'accuracy', points } }));

await writeReport(dir); // warm-up: loads fonts and compiles code paths
const runs = 5;
let start = performance.now();
for (let i = 0; i < runs; i++) await writeReport(dir);
const perReport = (performance.now() - start) / runs;

const charts = collectCharts(logs, JSON.parse(await fs.readFile(path.join(dir, 'evaluation.json'), 'utf8')));
const perChart = {};
for (const chart of charts) {
  start = performance.now();
  for (let i = 0; i < runs; i++) await renderChart(chart.spec);
  perChart[chart.name] = ((performance.now() - start) / runs).toFixed(1);
}
console.log(`report with ${charts.length} charts (${epochs} epochs, ${classes.length} classes): ${perReport.toFixed(0)} ms per report`);
console.log('ms per chart (SVG + PNG):', perChart);
await fs.rm(dir, { recursive: true, force: true });
