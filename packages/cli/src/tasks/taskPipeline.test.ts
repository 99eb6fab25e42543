import { beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '@polyfuse/core';
import { loadConfig, trainRun } from '../index.js';
import { writeTaskDataset } from '../../fixtures/taskDataset.js';

describe('every task kind from one config', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-tasks-'));
    await writeTaskDataset(dir);
  });

  it('trains class, multi-label, regression, captioning and matching heads together and beats each baseline', async () => {
    const config = await loadConfig(path.join(dir, 'config.json'));
    // Defaults filled from the heads: one loss term and the usual metrics per head.
    expect(Object.fromEntries(Object.entries(config.loss.terms).map(([k, t]) => [k, [t.loss, t.outputs ?? t.output]]))).toEqual({
      shape: ['cross-entropy', 'logits_shape'],
      tags: ['bce-with-logits', 'logits_tags'],
      size: ['mse', 'values_size'],
      caption: ['sequence-cross-entropy', 'tokens_caption'],
      pair: ['clip-contrastive', ['embedding_x', 'embedding_text']],
    });
    const result = await trainRun(config, { outDir: path.join(dir, 'run') });
    const evaluation = result.evaluation as { metrics: Record<string, number>; tasks: Record<string, any> };
    const m = evaluation.metrics;
    expect(m.accuracy_logits_shape).toBeGreaterThan(0.8); // majority class: 1/3
    expect(m.multilabel_f1_logits_tags).toBeGreaterThan(0.5); // predicting no tag: 0
    expect(m.r2_values_size).toBeGreaterThan(0.5); // predicting the mean: 0
    expect(m.mae_values_size).toBeLessThan(2.5); // in the target's units (size·10 + 3), not standardised
    expect(m.bleu_tokens_caption).toBeGreaterThan(30);
    expect(m['recall@5_x_text']).toBeGreaterThan(0.5); // chance: 5/18
    const caption = evaluation.tasks.caption;
    expect(caption.beam.width).toBe(2);
    expect(caption.examples[0]).toEqual(expect.objectContaining({ greedy: expect.any(String), beam: expect.any(String), references: expect.arrayContaining([expect.stringMatching(/^a /)]) }));
    expect(evaluation.tasks.pair.examples[0].top).toHaveLength(5);
    expect(evaluation.tasks.size.scatter.length).toBe(18);
    // Leave-one-modality-out on the first metric: the shape is only in x, so masking x costs accuracy.
    const contribution = (result.evaluation as any).contribution;
    expect(contribution.metric).toBe('accuracy_logits_shape');
    expect(contribution.modalities.x.contribution).toBeGreaterThan(0.3);
    expect(Math.abs(contribution.modalities.text.contribution)).toBeLessThan(0.3);
    const logs = (await fs.readFile(path.join(dir, 'run/logs/train.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const lastEpoch = logs.filter((r) => r.type === 'epoch').at(-1);
    expect(Object.keys(lastEpoch)).toEqual(expect.arrayContaining(['weight.caption', 'weight.pair', 'val.bleu_tokens_caption', 'val.recall@5_x_text']));
  }, 300_000);
});

describe('every weighting strategy over mixed task terms', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-weighting-'));
    await writeTaskDataset(dir, { count: 60 });
  });

  for (const weighting of ['static', 'uncertainty', 'dwa', 'gradnorm', 'pcgrad', 'mgda', 'cagrad']) {
    it(`trains class, regression, caption and matching terms together with ${weighting}`, async () => {
      const base = await loadConfig(path.join(dir, 'config.json'));
      const config = { ...base, loss: { ...base.loss, weighting: { name: weighting, config: {} } }, training: { ...base.training, epochs: 3 }, evaluation: { ...base.evaluation, beamWidth: 1 } };
      const result = await trainRun(config, { outDir: path.join(dir, weighting) });
      expect(result.interrupted).toBe(false);
      const logs = (await fs.readFile(path.join(dir, weighting, 'logs/train.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      const epochs = logs.filter((r) => r.type === 'epoch');
      expect(epochs).toHaveLength(3);
      for (const term of ['shape', 'tags', 'size', 'caption', 'pair']) {
        expect(Number.isFinite(epochs[2][`loss.${term}`])).toBe(true);
        expect(Number.isFinite(epochs[2][`weight.${term}`])).toBe(true);
      }
      // Training moved every task: the last epoch's loss is below the first's.
      expect(epochs[2]['loss.caption']).toBeLessThan(epochs[0]['loss.caption']);
    }, 120_000);
  }
});
