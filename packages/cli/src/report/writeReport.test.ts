import { describe, expect, it, beforeAll } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeReport, collectCharts, renderChart } from '../index.js';

/** A run folder as `polyfuse train` leaves it, with two epochs of logs and an evaluation. */
async function writeRun(dir: string): Promise<void> {
  await fs.mkdir(path.join(dir, 'logs'), { recursive: true });
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify({ name: 'demo', data: { manifest: '/data/m.jsonl' }, model: { encoders: { image: { name: 'image-cnn' } }, fusion: { name: 'concat' }, head: { name: 'classifier' } }, loss: { terms: { main: { loss: 'cross-entropy', output: 'logits' } }, weighting: { name: 'static' } }, optimizer: { name: 'adam', config: {} }, schedule: { name: 'constant' }, training: { epochs: 2, batchSize: 4, seed: 0 } }));
  // Records as @polyfuse/trainer's JSONL logger writes them.
  const epochs = [0, 1].map((epoch) => ({ type: 'epoch', epoch, step: 2 * (epoch + 1), seconds: 0.1, 'loss.total': 1 - epoch * 0.4, 'loss.main': 1 - epoch * 0.4, 'weight.main': 1, lr: 0.001, 'val.loss.main': 0.9 - epoch * 0.3, 'val.loss.total': 0.9 - epoch * 0.3, 'val.accuracy': 0.5 + epoch * 0.3 }));
  await fs.writeFile(path.join(dir, 'logs/train.jsonl'), epochs.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await fs.writeFile(
    path.join(dir, 'evaluation.json'),
    JSON.stringify({ split: 'test', count: 6, classes: ['<no>', 'yes & maybe'], metrics: { accuracy: 0.833 }, loss: 0.4, confusion: [[3, 0], [1, 2]] }),
  );
}

describe('writeReport', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-report-'));
    await writeRun(dir);
  });

  it('writes a self-contained HTML page with the charts the run supports, as inline SVG, SVG and PNG files', async () => {
    const { html, charts } = await writeReport(dir);
    expect(charts).toEqual(['loss', 'metrics', 'weights', 'learning-rate', 'confusion']);
    const page = await fs.readFile(html, 'utf8');
    expect(page.match(/<svg/g)).toHaveLength(5);
    expect(page).toContain('&lt;no&gt;');
    expect(page).not.toMatch(/<script|<link|src="http/);
    for (const name of charts) {
      const png = await fs.readFile(path.join(dir, 'report', `${name}.png`));
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(await fs.readFile(path.join(dir, 'report', `${name}.svg`), 'utf8')).toMatch(/^<svg/);
    }
  });

  it('draws the data it is given: one line per loss series, one cell per confusion entry', async () => {
    const logs = (await fs.readFile(path.join(dir, 'logs/train.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const [loss] = collectCharts(logs, undefined);
    const values = (loss.spec as { data: { values: { series: string }[] } }).data.values;
    expect(new Set(values.map((v) => v.series))).toEqual(new Set(['train: total (weighted)', 'train: main', 'validation: total', 'validation: main']));
    const { svg } = await renderChart(loss.spec);
    // vega draws one line-mark group per series.
    expect(svg.match(/<g class="mark-line role-mark[^>]*><path/g)).toHaveLength(4);
  });

  it('refuses a folder that is not a run', async () => {
    await expect(writeReport(os.tmpdir())).rejects.toThrow(/is not a polyfuse run folder \(no config\.json\)/);
  });
});
