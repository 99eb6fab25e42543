import { beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '@polyfuse/core';
import { exitCodes } from '../index.js';
import { shapes, writeTaskDataset } from '../../fixtures/taskDataset.js';
import { runPolyfuse } from '../../fixtures/runInProcess.js';

const polyfuse = runPolyfuse;

interface Line {
  id: string;
  x: number[];
  text: string;
  shape: string;
  tags: string[];
  size: number;
  caption: string[];
}

describe('predict, eval and inspect speak every task', () => {
  let dir: string;
  let samples: Map<string, Line>;
  let vocabulary: Set<string>;
  const colour = (id: string): string => samples.get(id)!.text.split(' ').at(-1)!;

  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-task-commands-'));
    // Every task kind in one run (class, multilabel, regression, caption, match) ...
    const { config } = await writeTaskDataset(dir);
    const trained = await polyfuse(dir, 'train', '--config', 'config.json', '--out', 'run', '--no-report', '--quiet');
    expect(trained.code, trained.stderr).toBe(exitCodes.ok);
    // ... and a run with the main classification output beside one regression head (no decoder, no match head).
    const base = config as any;
    await fs.writeFile(
      path.join(dir, 'mixed.json'),
      JSON.stringify({
        ...base,
        name: 'mixed',
        data: { ...base.data, labels: { shape: base.data.labels.shape, size: base.data.labels.size } },
        model: { ...base.model, head: { name: 'mlp', config: { units: 3 } }, heads: { size: base.model.heads.size } },
        loss: { terms: { main: { loss: 'cross-entropy', output: 'logits', target: 'shape' }, size: { loss: 'mse', output: 'values_size', target: 'size' } } },
        training: { epochs: 2, batchSize: 16, seed: 5 },
      }),
    );
    const mixed = await polyfuse(dir, 'train', '--config', 'mixed.json', '--out', 'mixed', '--no-report', '--quiet');
    expect(mixed.code, mixed.stderr).toBe(exitCodes.ok);
    const lines = (await fs.readFile(path.join(dir, 'manifest.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Line);
    samples = new Map(lines.map((l) => [l.id, l]));
    const preprocessing = JSON.parse(await fs.readFile(path.join(dir, 'run/model/preprocessing.json'), 'utf8'));
    vocabulary = new Set(preprocessing.state.labels.caption.state.vocabulary);
    // Beam search is the slow part: a dozen samples show it.
    await fs.writeFile(path.join(dir, 'few.jsonl'), lines.slice(0, 12).map((l) => JSON.stringify(l)).join('\n') + '\n');
  }, 300_000);

  it('predicts one sample with every head: classes, tags, a value in the target units and a caption', async () => {
    const result = await polyfuse(dir, 'predict', 'run', '--input', `x=${JSON.stringify(samples.get('s0')!.x)}`, '--input', 'text=this one is blue');
    expect(result.code, result.stderr).toBe(exitCodes.ok);
    const [prediction] = JSON.parse(result.stdout);
    expect(Object.keys(prediction)).toEqual(['id', 'shape', 'tags', 'size', 'caption']);
    expect(shapes).toContain(prediction.shape.prediction);
    expect(Object.values(prediction.shape.probabilities as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Multi-label: the predicted tags are exactly those with probability > 0.5.
    const tagProbabilities = prediction.tags.probabilities as Record<string, number>;
    expect(Object.keys(tagProbabilities)).toEqual(['big', 'blue', 'green', 'red', 'round']);
    expect(prediction.tags.prediction).toEqual(Object.keys(tagProbabilities).filter((t) => tagProbabilities[t]! > 0.5));
    expect(prediction.tags.prediction).toContain('blue');
    expect(prediction.size.prediction).toBeGreaterThan(0);
    expect(prediction.size.prediction).toBeLessThan(16); // 10·size + 3, not standardised
    expect(prediction.caption.prediction).toMatch(/^a /);
    for (const word of prediction.caption.prediction.split(' ')) expect(vocabulary).toContain(word);
    // The match head has nothing per sample without a query; the note says what to pass.
    expect(result.stderr).toMatch(/match head 'pair' .*--query x or --query text/);
  });

  it('predicts a manifest as JSON and as CSV with one column group per head', async () => {
    const json = await polyfuse(dir, 'predict', 'run', '--manifest', 'manifest.jsonl');
    expect(json.code, json.stderr).toBe(exitCodes.ok);
    const predictions = JSON.parse(json.stdout) as any[];
    expect(predictions).toHaveLength(90);
    const right = predictions.filter((p) => p.shape.prediction === samples.get(p.id)!.shape).length;
    expect(right / predictions.length).toBeGreaterThan(0.8);
    const errors = predictions.map((p) => Math.abs(p.size.prediction - samples.get(p.id)!.size));
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeLessThan(2.5);
    const exact = predictions.filter((p) => samples.get(p.id)!.caption.includes(p.caption.prediction)).length;
    expect(exact / predictions.length).toBeGreaterThan(0.5);

    const csv = await polyfuse(dir, 'predict', 'run', '--manifest', 'manifest.jsonl', '--output', 'predictions.csv');
    expect(csv.code, csv.stderr).toBe(exitCodes.ok);
    expect(csv.stderr).toMatch(/Wrote 90 prediction\(s\) to predictions\.csv/);
    const lines = (await fs.readFile(path.join(dir, 'predictions.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('id,shape,shape_p_circle,shape_p_square,shape_p_triangle,tags,tags_p_big,tags_p_blue,tags_p_green,tags_p_red,tags_p_round,size,caption');
    expect(lines).toHaveLength(91);
    const first = lines[1]!.split(',');
    expect(first[0]).toBe('s0');
    expect(first[5]).toBe(predictions[0].tags.prediction.join(';'));
    expect(Number(first[11])).toBeCloseTo(predictions[0].size.prediction, 5);
    expect(first[12]).toBe(predictions[0].caption.prediction);
  });

  it('generates captions with beam search (--beam 2)', async () => {
    const result = await polyfuse(dir, 'predict', 'run', '--manifest', 'few.jsonl', '--beam', '2');
    expect(result.code, result.stderr).toBe(exitCodes.ok);
    const predictions = JSON.parse(result.stdout) as any[];
    expect(predictions).toHaveLength(12);
    for (const p of predictions) {
      expect(p.caption).toEqual({ prediction: expect.stringMatching(/^a /), beamWidth: 2, score: expect.any(Number) });
      expect(p.caption.score).toBeLessThanOrEqual(0); // a length-normalised log-probability
      for (const word of p.caption.prediction.split(' ')) expect(vocabulary).toContain(word);
    }
    const csv = await polyfuse(dir, 'predict', 'run', '--manifest', 'few.jsonl', '--beam', '2', '--format', 'csv');
    const [header, first] = csv.stdout.split('\n');
    expect(header).toMatch(/,caption,caption_score$/);
    expect(first!.split(',').slice(-2)).toEqual([predictions[0].caption.prediction, String(predictions[0].caption.score)]);
  });

  it('lists the top matches of each sample in the other modality (--query x --top 3)', async () => {
    const result = await polyfuse(dir, 'predict', 'run', '--manifest', 'manifest.jsonl', '--query', 'x', '--top', '3');
    expect(result.code, result.stderr).toBe(exitCodes.ok);
    const predictions = JSON.parse(result.stdout) as any[];
    for (const p of predictions) {
      expect(p.pair.query).toBe('x');
      expect(p.pair.matches).toHaveLength(3);
      const scores = p.pair.matches.map((m: { score: number }) => m.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
    // Texts name the colour: the best text for a sample's x is (nearly always) one of its colour.
    const sameColour = predictions.filter((p) => colour(p.pair.matches[0].id) === colour(p.id)).length;
    expect(sameColour / predictions.length).toBeGreaterThan(0.8);

    const csv = await polyfuse(dir, 'predict', 'run', '--manifest', 'manifest.jsonl', '--query', 'x', '--top', '3', '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toMatch(/,caption,pair_1,pair_score_1,pair_2,pair_score_2,pair_3,pair_score_3$/);

    // --input with --manifest: the input is the query, the manifest's samples are the candidates.
    const text = await polyfuse(dir, 'predict', 'run', '--input', 'text=this one is red', '--manifest', 'manifest.jsonl', '--query', 'text', '--top', '5');
    expect(text.code, text.stderr).toBe(exitCodes.ok);
    const [query] = JSON.parse(text.stdout);
    expect(query.id).toBe('input');
    expect(query.pair.matches.map((m: { id: string }) => colour(m.id))).toEqual(['red', 'red', 'red', 'red', 'red']);
  });

  it('evaluates every task, grouped by head, with beam scores (--beam overrides evaluation.beamWidth)', async () => {
    const result = await polyfuse(dir, 'eval', 'run', '--beam', '3', '--output', 'eval.json');
    expect(result.code, result.stderr).toBe(exitCodes.ok);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('test: 18 samples');
    expect(lines[1]).toMatch(/^ {2}shape \(class\) +accuracy \d\.\d{4}, f1 \d\.\d{4}$/);
    expect(result.stdout).toMatch(/^ {2}tags \(multilabel\) +multilabel_f1 [\d.]+, map [\d.]+$/m);
    expect(result.stdout).toMatch(/^ {2}size \(regression\) +mae [\d.]+, rmse [\d.]+, r2 [\d.]+$/m);
    expect(result.stdout).toMatch(/^ {2}caption \(sequence\) +bleu [\d.]+, cider [\d.]+, rouge_l [\d.]+, exact_match [\d.]+\n +beam 3: bleu [\d.]+/m);
    expect(result.stdout).toMatch(/^ {2}pair \(match\) +recall@1 [\d.]+, recall@5 [\d.]+, recall@10 [\d.]+, median_rank [\d.]+$/m);
    // The same structure as the evaluation.json written by training, with the overridden beam width.
    const written = JSON.parse(await fs.readFile(path.join(dir, 'eval.json'), 'utf8'));
    const trained = JSON.parse(await fs.readFile(path.join(dir, 'run/evaluation.json'), 'utf8'));
    expect(Object.keys(written)).toEqual(Object.keys(trained));
    expect(Object.keys(written.tasks)).toEqual(Object.keys(trained.tasks));
    expect(written.metrics).toEqual(trained.metrics);
    expect(trained.tasks.caption.beam.width).toBe(2);
    expect(written.tasks.caption.beam.width).toBe(3);

    const greedy = await polyfuse(dir, 'eval', 'run', '--beam', '1');
    expect(greedy.stdout).not.toMatch(/beam/);
  });

  it('inspects heads of a run and the outputs a config declares', async () => {
    const text = await polyfuse(dir, 'inspect', 'run');
    expect(text.code, text.stderr).toBe(exitCodes.ok);
    expect(text.stdout).toMatch(/^outputs: logits_shape, logits_tags, values_size, tokens_caption, context_caption, embedding_x, embedding_text, logit_scale$/m);
    expect(text.stdout).toMatch(/^ {2}shape \(mlp\): target shape \(class, 3 classes: circle, square, triangle\); input fused; outputs logits_shape; \d+ parameters$/m);
    expect(text.stdout).toMatch(/^ {2}size \(mlp\): target size \(regression, 1 value, standardized\); input x; outputs values_size; \d+ parameters$/m);
    expect(text.stdout).toMatch(/^ {2}caption \(text-decoder\): target caption \(sequence, vocabulary \d+, max length 9\); input fused; outputs tokens_caption, context_caption; [\d,]+ parameters$/m);
    expect(text.stdout).toMatch(/^ {2}pair \(projection\): target pair \(match\); .*outputs embedding_x, embedding_text, logit_scale/m);
    expect(text.stdout).toMatch(/^head:caption +[\d,]+$/m);

    const json = JSON.parse((await polyfuse(dir, 'inspect', 'run', '--json')).stdout);
    expect(Object.keys(json.heads)).toEqual(['shape', 'tags', 'size', 'caption', 'pair']);
    expect(json.heads.caption).toEqual(expect.objectContaining({ name: 'text-decoder', target: 'caption', targetType: 'sequence', input: 'fused', outputs: ['tokens_caption', 'context_caption'] }));
    expect(json.heads.caption.targetInfo.vocabSize).toBe(vocabulary.size);
    expect(json.heads.caption.parameters).toBe(json.parameters['head:caption']);
    expect(json.classes).toEqual({ shape: ['circle', 'square', 'triangle'], tags: ['big', 'blue', 'green', 'red', 'round'] });

    const config = await polyfuse(dir, 'inspect', 'config.json');
    expect(config.code, config.stderr).toBe(exitCodes.ok);
    expect(config.stdout).toMatch(/^ {2}tokens_caption +tokens +head caption, target caption \(sequence\)$/m);
    expect(config.stdout).toMatch(/^ {2}embedding_text +embedding +head pair, target pair \(match\)$/m);
    expect(config.stdout).toMatch(/run 'polyfuse train', then 'polyfuse inspect <run>'/);
    const configJson = JSON.parse((await polyfuse(dir, 'inspect', 'config.json', '--json')).stdout);
    expect(configJson.outputs.map((o: { name: string }) => o.name)).toEqual(['logits_shape', 'logits_tags', 'values_size', 'tokens_caption', 'embedding_x', 'embedding_text', 'logit_scale']);
  });

  it('keeps the main classification output beside named heads', async () => {
    const one = await polyfuse(dir, 'predict', 'mixed', '--input', 'text=this one is red');
    expect(one.code, one.stderr).toBe(exitCodes.ok);
    const [prediction] = JSON.parse(one.stdout);
    expect(Object.keys(prediction)).toEqual(['id', 'prediction', 'probabilities', 'size']);
    expect(shapes).toContain(prediction.prediction);
    expect(typeof prediction.size.prediction).toBe('number');
    const csv = await polyfuse(dir, 'predict', 'mixed', '--manifest', 'manifest.jsonl', '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe('id,prediction,p_circle,p_square,p_triangle,size');
    const evaluation = await polyfuse(dir, 'eval', 'mixed');
    expect(evaluation.stdout).toMatch(/^test: 18 samples\n {2}accuracy {5}\d\.\d{4}\n {2}size \(regression\)/);
    const inspect = await polyfuse(dir, 'inspect', 'mixed');
    expect(inspect.stdout).toMatch(/^outputs: logits, values_size\nheads:\n {2}size \(mlp\)/m);
  });

  it('says what is allowed when a flag does not fit the run', async () => {
    const error = async (...args: string[]): Promise<string> => {
      const result = await polyfuse(dir, ...args);
      expect(result.code, args.join(' ')).toBe(exitCodes.usage);
      return result.stderr;
    };
    expect(await error('predict', 'run', '--manifest', 'manifest.jsonl', '--query', 'image')).toBe(
      "error: --query 'image': no match head projects that modality (pair: x, text). Pass --query x or --query text.\n",
    );
    expect(await error('predict', 'run', '--input', 'text=red', '--query', 'x')).toMatch(/--query ranks matches among the samples of a manifest: add --manifest <file>/);
    expect(await error('predict', 'run', '--manifest', 'manifest.jsonl', '--top', '3')).toMatch(/--top sets how many matches --query lists; give --query <modality>/);
    expect(await error('predict', 'run', '--manifest', 'manifest.jsonl', '--top', '0')).toMatch(/--top must be an integer >= 1, got '0'/);
    expect(await error('predict', 'run', '--manifest', 'manifest.jsonl', '--beam', 'two')).toMatch(/--beam must be an integer >= 1/);
    expect(await error('predict', 'mixed', '--manifest', 'manifest.jsonl', '--beam', '2')).toMatch(/--beam sets the beam width of decoder heads .*this run has none \(heads: size \(regression\)\)/);
    expect(await error('eval', 'mixed', '--beam', '2')).toMatch(/--beam sets the beam width of decoder heads/);
    expect(await error('predict', 'mixed', '--manifest', 'manifest.jsonl', '--query', 'x')).toMatch(/--query needs a match head .*this run has none/);
    expect(await error('predict', 'run', '--input', 'text=red', '--manifest', 'manifest.jsonl')).toMatch(/not both and not neither \(both only with --query/);
  });
});
