import { beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeImage } from '@polyfuse/image';
import { writeReport, collectCharts } from '../index.js';
import { encodePng } from './encodePng.js';
import { taskCharts } from './taskCharts.js';

/** A `height × width` RGB picture: a red-to-blue gradient with a green square in the middle. */
function picture(height: number, width: number): Uint8Array {
  const pixels = new Uint8Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const square = Math.abs(y - height / 2) < height / 5 && Math.abs(x - width / 2) < width / 5;
      pixels.set(square ? [40, 200, 60] : [Math.round((255 * x) / width), 40, Math.round((255 * (width - x)) / width)], (y * width + x) * 3);
    }
  }
  return pixels;
}

/**
 * A run folder as `polyfuse train` leaves it for an image-captioning run with
 * named heads of every kind: caption (sequence, beam width 3), pair (match of
 * image and text), size (regression), shape (class) and tags (multilabel),
 * next to a `model.head` classifier whose metric (`accuracy`) belongs to no head.
 */
async function writeTaskRun(dir: string): Promise<{ images: string[] }> {
  await fs.mkdir(path.join(dir, 'logs'), { recursive: true });
  await fs.mkdir(path.join(dir, 'data'), { recursive: true });
  const images = [path.join(dir, 'data/cat.png'), path.join(dir, 'data/dog.png')];
  await fs.writeFile(images[0]!, encodePng(picture(240, 320), 320, 240, 3));
  await fs.writeFile(images[1]!, encodePng(picture(24, 24), 24, 24, 3));
  const config = {
    name: 'captions',
    data: { manifest: 'data/m.jsonl', modalities: { image: { type: 'file' }, text: { type: 'text' } } },
    model: {
      encoders: { image: { name: 'image-cnn' }, text: { name: 'text-bag' } },
      fusion: { name: 'concat' },
      head: { name: 'classifier' },
      heads: { caption: { name: 'text-decoder', target: 'caption', input: 'image' }, pair: { name: 'projection', target: 'pair' }, size: { name: 'mlp', target: 'size' }, shape: { name: 'mlp', target: 'shape' }, tags: { name: 'mlp', target: 'tags' } },
    },
    loss: {
      terms: { main: { loss: 'cross-entropy', output: 'logits' }, caption: { loss: 'sequence-cross-entropy', output: 'tokens_caption' }, pair: { loss: 'clip-contrastive', output: 'embedding_image', outputs: ['embedding_image', 'embedding_text'] } },
      weighting: { name: 'uncertainty' },
    },
    optimizer: { name: 'adam', config: {} },
    training: { epochs: 3, batchSize: 4, seed: 0 },
  };
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
  const epochs = [0, 1, 2].map((epoch) => ({
    type: 'epoch', epoch, step: epoch + 1, lr: 0.001,
    'loss.total': 3 - epoch, 'loss.main': 1 - epoch * 0.2, 'loss.caption': 2 - epoch * 0.5, 'loss.pair': 1.5 - epoch * 0.3,
    'weight.main': 1, 'weight.caption': 1 + epoch * 0.1, 'weight.pair': 1 - epoch * 0.1,
    'val.loss.total': 3.2 - epoch, 'val.accuracy': 0.5 + epoch * 0.1,
    'val.bleu_tokens_caption': 10 + epoch * 20, 'val.cider_tokens_caption': 0.1 + epoch, 'val.recall@5_image_text': 0.3 + epoch * 0.2,
    'val.mae_values_size': 2 - epoch * 0.5, 'val.accuracy_logits_shape': 0.4 + epoch * 0.2, 'val.map_logits_tags': 0.5 + epoch * 0.1,
  }));
  await fs.writeFile(path.join(dir, 'logs/train.jsonl'), epochs.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const inputs = (i: number) => ({ image: images[i % 2], text: i % 2 ? 'a <small> dog' : 'a cat & a "mat"' });
  const evaluation = {
    split: 'test', count: 2, label: 'shape', classes: ['round', 'square'], loss: 0.5, confusion: [[1, 0], [0, 1]],
    metrics: { accuracy: 0.9, bleu_tokens_caption: 40.5, cider_tokens_caption: 1.2, 'recall@5_image_text': 0.75, mae_values_size: 0.4, accuracy_logits_shape: 0.8, map_logits_tags: 0.7 },
    tasks: {
      caption: {
        type: 'sequence', target: 'caption', outputs: ['tokens_caption'], metrics: { bleu_tokens_caption: 40.5, cider_tokens_caption: 1.2 },
        beam: { width: 3, metrics: { bleu_tokens_caption: 44.25, cider_tokens_caption: 1.3 } },
        examples: [
          { id: 's<0>', inputs: inputs(0), greedy: 'a <b>cat</b> & "mat"', beam: 'a cat on a mat', references: ['a cat on a mat', "the cat's mat"] },
          { id: 's1', inputs: inputs(1), greedy: 'a dog', references: ['a small dog'] },
          { id: 's2', inputs: { image: path.join(dir, 'data/missing.png'), text: 'gone' }, greedy: 'nothing', references: ['nothing'] },
        ],
      },
      pair: {
        type: 'match', target: 'pair', outputs: ['embedding_image', 'embedding_text', 'logit_scale'], metrics: { 'recall@5_image_text': 0.75 },
        examples: [
          { query: { id: 's<0>', modality: 'image', inputs: inputs(0) }, rankOfMatch: 2, top: [{ id: 's1', score: 0.9, match: false, inputs: inputs(1) }, { id: 's<0>', score: 0.8, match: true, inputs: inputs(0) }] },
          { query: { id: 's1', modality: 'image', inputs: inputs(1) }, rankOfMatch: 7, top: [{ id: 's<0>', score: 0.5, match: false, inputs: inputs(0) }] },
        ],
      },
      size: {
        type: 'regression', target: 'size', outputs: ['values_size'], metrics: { mae_values_size: 0.4 },
        examples: [{ id: 's1', inputs: inputs(1), truth: [12.5], predicted: [12.125] }],
        scatter: [{ truth: 12.5, predicted: 12.125 }, { truth: 3, predicted: 4 }, { truth: 7, predicted: 6.5 }],
      },
      shape: { type: 'class', target: 'shape', outputs: ['logits_shape'], metrics: { accuracy_logits_shape: 0.8 }, examples: [{ id: 's1', inputs: inputs(1), truth: 'round', predicted: '<square>' }] },
      tags: { type: 'multilabel', target: 'tags', outputs: ['logits_tags'], metrics: { map_logits_tags: 0.7 }, examples: [{ id: 's1', inputs: inputs(1), truth: ['big', 'red'], predicted: ['red', 'round'] }] },
    },
  };
  await fs.writeFile(path.join(dir, 'evaluation.json'), JSON.stringify(evaluation));
  return { images };
}

/** The HTML of one head's `<section>`. */
function sectionOf(page: string, head: string): string {
  const start = page.indexOf(`<section class="task" id="task-${head}">`);
  expect(start).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</section>', start));
}

describe('writeReport for a run with named heads', () => {
  let dir: string;
  let page: string;
  let charts: string[];

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-task-report-'));
    await writeTaskRun(dir);
    const report = await writeReport(dir);
    charts = report.charts;
    page = await fs.readFile(report.html, 'utf8');
  });

  it('adds a section per head, titled by head and target type, after the run-wide charts', async () => {
    expect(charts).toEqual([
      'loss', 'metrics', 'weights', 'learning-rate', 'confusion',
      'task-caption-metrics', 'task-pair-metrics', 'task-size-scatter', 'task-size-metrics', 'task-shape-metrics', 'task-tags-metrics',
    ]);
    const titles = [...page.matchAll(/<section class="task" id="task-(\w+)"><h2>(\w+) <span class="type">([^<]*)<\/span><\/h2>/g)].map((m) => `${m[2]}: ${m[3]}`);
    expect(titles).toEqual(['caption: sequence · target caption', 'pair: match · target pair', 'size: regression · target size', 'shape: class · target shape', 'tags: multilabel · target tags']);
    expect(page.indexOf('<h2>Confusion matrix</h2>')).toBeLessThan(page.indexOf('id="task-caption"'));
    // The results table keeps the metrics no head reads and links each head's section.
    const results = page.slice(page.indexOf('<h2>Results</h2>'), page.indexOf('<section>'));
    expect(results).toContain('<td>accuracy</td><td>0.9000</td>');
    expect(results).not.toContain('<td>bleu_tokens_caption</td>');
    expect(results).toContain('<a href="#task-caption">caption</a>');
    for (const name of charts) expect((await fs.readFile(path.join(dir, 'report', `${name}.png`))).subarray(1, 4).toString()).toBe('PNG');
  });

  it('tables each head\'s test metrics, beam search beside greedy for the decoder head', () => {
    const caption = sectionOf(page, 'caption');
    expect(caption).toContain('<th>greedy</th><th>beam search (width 3)</th>');
    expect(caption).toContain('<td>bleu_tokens_caption</td><td class="num">40.5000</td><td class="num">44.2500</td>');
    expect(sectionOf(page, 'size')).toContain('<td>mae_values_size</td><td class="num">0.4000</td></tr>');
  });

  it('shows captions with their input image embedded as a data URI, beam and reference captions, all escaped', () => {
    const caption = sectionOf(page, 'caption');
    const cards = caption.split('<div class="card">').slice(1);
    expect(cards).toHaveLength(3);
    const [first, second, third] = cards as [string, string, string];
    // The 320×240 image shrinks to 192×144; the 24×24 one is embedded as it is and drawn 8× larger.
    expect(first).toMatch(/<img class="input" src="data:image\/png;base64,[A-Za-z0-9+/=]+" width="192" height="144" alt="cat.png"/);
    const dataUri = /src="data:image\/png;base64,([^"]+)"/.exec(first)![1]!;
    const thumbnail = decodeImage(new Uint8Array(Buffer.from(dataUri, 'base64')));
    expect([thumbnail.width, thumbnail.height]).toEqual([192, 144]);
    expect(second).toMatch(/<img class="input upscaled" src="data:image\/png;base64,[^"]+" width="192" height="192" alt="dog.png"/);
    expect(second).toContain(`data:image/png;base64,${Buffer.from(encodePng(picture(24, 24), 24, 24, 3)).toString('base64')}"`);
    expect(third).toContain('missing.png <em>(file not found)</em>');
    expect(first).toContain('<div class="card-id">s&lt;0&gt;</div>');
    expect(first).toContain('<q>a cat &amp; a &quot;mat&quot;</q>');
    expect(first).toContain('<dd class="generated">a &lt;b&gt;cat&lt;/b&gt; &amp; &quot;mat&quot;</dd>');
    expect(first).toContain('<dt>beam (width 3)</dt><dd class="generated hit">a cat on a mat <span class="tick"');
    expect(first).toContain('<li>a cat on a mat</li><li>the cat&#39;s mat</li>');
    expect(second).not.toContain('<dt>beam');
    expect(page).not.toContain('<b>cat</b>');
  });

  it('never links an image outside the report folder', () => {
    const sources = [...page.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) expect(source).toMatch(/^data:image\/png;base64,/);
    expect(page).not.toMatch(/<script|<link|href="(?!#|[\w-]+\.(png|svg)")/);
  });

  it('shows retrieval examples: the query, its top matches with the true one highlighted, and the rank of the true match', () => {
    const pair = sectionOf(page, 'pair');
    const rows = pair.slice(pair.indexOf('<table class="matches">')).split('<tr>').slice(2);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/<td class="query"><div class="card-id">s&lt;0&gt;<\/div><img class="input" src="data:image\/png;base64,/);
    expect(rows[0]).toContain('<td class="num rank">2</td>');
    expect(rows[0]).toMatch(/<td class="miss"><div class="card-id">s1<\/div><q>a &lt;small&gt; dog<\/q><div class="score">score 0\.900<\/div><\/td><td class="hit" title="the true match"><div class="card-id">s&lt;0&gt; ✓<\/div><q>a cat &amp; a &quot;mat&quot;<\/q>/);
    expect(rows[1]).toContain('<td class="num rank">7 <span class="muted">(not shown)</span></td>');
    expect(pair).toContain('<th>#1 text</th>');
  });

  it('draws regression predictions against the truth with the y = x line, and tables class and multi-label examples', async () => {
    const evaluation = JSON.parse(await fs.readFile(path.join(dir, 'evaluation.json'), 'utf8'));
    const [scatter] = taskCharts('size', evaluation.tasks.size, [], 'test').filter((c) => c.name.endsWith('-scatter'));
    const [line, points] = (scatter!.spec as { layer: { mark: { type: string }; data: { values: { truth: number; predicted: number }[] } }[] }).layer;
    expect(line!.mark.type).toBe('line');
    expect(line!.data.values.every((v) => v.truth === v.predicted)).toBe(true);
    expect(points!.data.values).toHaveLength(3);
    const size = sectionOf(page, 'size');
    expect(size).toContain('<h3>size: predicted against true</h3>');
    expect(size).toContain('<td class="num">12.5</td><td class="num">12.13</td><td class="num">-0.375</td>');
    expect(sectionOf(page, 'shape')).toContain('<tr class="wrong"><td>s1</td>');
    expect(sectionOf(page, 'shape')).toContain('<td>round</td><td>&lt;square&gt;</td>');
    expect(sectionOf(page, 'tags')).toContain('<td><del title="missed">big</del>, red</td><td>red, <ins title="not a true label">round</ins></td>');
  });

  it('groups validation metric curves by the head whose output they read, and charts the loss weights of every term', async () => {
    const logs = (await fs.readFile(path.join(dir, 'logs/train.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const evaluation = JSON.parse(await fs.readFile(path.join(dir, 'evaluation.json'), 'utf8'));
    const panels = (head: string) =>
      ((taskCharts(head, evaluation.tasks[head], logs, 'test')[0]!.spec as { concat: { title: { text: string } }[] }).concat).map((p) => p.title.text);
    expect(panels('caption')).toEqual(['bleu_tokens_caption', 'cider_tokens_caption']);
    expect(panels('pair')).toEqual(['recall@5_image_text']);
    expect(panels('tags')).toEqual(['map_logits_tags']);
    const global = collectCharts(logs, evaluation);
    const series = (name: string) => new Set((global.find((c) => c.name === name)!.spec as { data: { values: { series: string }[] } }).data.values.map((v) => v.series));
    expect(series('metrics')).toEqual(new Set(['accuracy']));
    expect(series('weights')).toEqual(new Set(['main', 'caption', 'pair']));
    expect(sectionOf(page, 'caption')).toContain('<h3>caption: validation metrics</h3>');
  });
});
