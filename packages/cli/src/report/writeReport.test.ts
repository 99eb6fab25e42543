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

  it('renders a classification-only run as before named heads existed: no task sections, styles or images', async () => {
    const { html } = await writeReport(dir);
    const page = await fs.readFile(html, 'utf8');
    const svgs = page.match(/<svg.*?<\/svg>/gs)!;
    for (const [i, name] of ['loss', 'metrics', 'weights', 'learning-rate', 'confusion'].entries()) {
      expect(svgs[i]).toBe(await fs.readFile(path.join(dir, 'report', `${name}.svg`), 'utf8'));
    }
    const skeleton = page.replace(/<svg.*?<\/svg>/gs, '<svg/>');
    expect(skeleton).toMatch(/<style>\nbody \{[^}]*\}\nh1 \{[^}]*\} h2 \{[^}]*\}\ntable \{[^}]*\} td, th \{[^}]*\}\nfigure \{[^}]*\} figure svg \{[^}]*\} \.files \{[^}]*\}\n<\/style>/);
    expect(skeleton.slice(skeleton.indexOf('<h2>Run</h2>'))).toBe(
      [
        '<h2>Run</h2><table><tr><th>run</th><td>demo</td></tr><tr><th>manifest</th><td>/data/m.jsonl</td></tr><tr><th>modalities</th><td>image: image-cnn</td></tr><tr><th>fusion / head</th><td>concat / classifier</td></tr><tr><th>loss terms</th><td>main: cross-entropy(logits); weighting static</td></tr><tr><th>optimizer / schedule</th><td>adam {} / constant</td></tr><tr><th>epochs run</th><td>2 of 2, batch size 4, seed 0</td></tr></table>',
        '<h2>Results</h2><table><tr><th>test split (6 samples)</th><th>value</th></tr><tr><td>accuracy</td><td>0.8330</td></tr><tr><td>cross-entropy</td><td>0.4000</td></tr></table>',
        '<section><h2>Loss</h2><p>Mean loss per epoch: each loss term and their weighted total, on the training batches and on the validation split.</p><figure><svg/></figure><p class="files"><a href="loss.png">PNG</a> · <a href="loss.svg">SVG</a></p></section>',
        '<section><h2>Validation metrics</h2><p>Metrics on the validation split after each epoch.</p><figure><svg/></figure><p class="files"><a href="metrics.png">PNG</a> · <a href="metrics.svg">SVG</a></p></section>',
        '<section><h2>Loss weights</h2><p>The mean weight the weighting strategy gave each loss term in each epoch.</p><figure><svg/></figure><p class="files"><a href="weights.png">PNG</a> · <a href="weights.svg">SVG</a></p></section>',
        '<section><h2>Learning rate</h2><p>The learning rate the schedule set, per epoch.</p><figure><svg/></figure><p class="files"><a href="learning-rate.png">PNG</a> · <a href="learning-rate.svg">SVG</a></p></section>',
        '<section><h2>Confusion matrix</h2><p>Counts on the test split: rows are true classes, columns predictions.</p><figure><svg/></figure><p class="files"><a href="confusion.png">PNG</a> · <a href="confusion.svg">SVG</a></p></section>',
        '</body></html>',
      ].join('\n') + '\n',
    );
    expect(page).not.toMatch(/class="task"|<img|data:/);
  });

  it('refuses a folder that is not a run', async () => {
    await expect(writeReport(os.tmpdir())).rejects.toThrow(/is not a polyfuse run folder \(no config\.json\)/);
  });
});
