import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { initBackend, registry, tf, SeededRandom, type Preprocessor } from '@polyfuse/core';
import { crossEntropyLoss } from '@polyfuse/losses';
import { loadDataset, type DatasetSpec } from '@polyfuse/data/node';
import { Trainer, Adam, createMetric } from '../src/node.js';
import { tinyModel, weightValues } from '../src/testing/tinyTask.js';

/*
 * @polyfuse/data's loaders feeding the trainer: a JSONL manifest with inline
 * feature vectors (one modality missing on some lines), a standardising
 * preprocessor fitted on the training split, a seeded shuffle, and a resume
 * in the middle of an epoch that skips exactly the batches already done.
 */
registry.register(
  {
    kind: 'preprocessor',
    name: 'standardized-vector',
    schema: { size: { type: 'integer', required: true } },
    create: (config: { size: number }): Preprocessor => {
      let mean = 0;
      let std = 1;
      return {
        outputShape: [config.size],
        dtype: 'float32',
        config,
        async fit(values) {
          const all = (values as number[][]).flat();
          mean = all.reduce((a, b) => a + b, 0) / all.length;
          std = Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length);
        },
        async process(value) {
          return Float32Array.from(value as number[], (v) => (v - mean) / std);
        },
        getState: () => ({ mean, std }),
        setState: (s) => ({ mean, std } = s as { mean: number; std: number }),
      };
    },
  },
  { override: true },
);

let dir: string;
const crossEntropy = (p: tf.Tensor, t: tf.Tensor) => crossEntropyLoss(p, t) as tf.Scalar;

describe('@polyfuse/data loaders drive the trainer', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-data-trainer-'));
    const rng = new SeededRandom(4);
    const lines = Array.from({ length: 150 }, (_, i) => {
      const label = rng.int(3);
      const a = Array.from({ length: 4 }, (_, j) => rng.normal(j === label ? 2 : 0, 0.6));
      const b = i % 4 === 3 ? null : Array.from({ length: 3 }, (_, j) => rng.normal(j === label ? 2 : 0, 0.6));
      return JSON.stringify({ id: `s${i}`, a, b, label, split: i < 120 ? 'train' : 'test' });
    });
    await fs.writeFile(path.join(dir, 'manifest.jsonl'), lines.join('\n'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('trains, validates and resumes mid-epoch to the same weights', async () => {
    const spec: DatasetSpec = {
      manifest: path.join(dir, 'manifest.jsonl'),
      modalities: {
        a: { type: 'numbers', preprocessor: { name: 'standardized-vector', config: { size: 4 } }, required: true },
        b: { type: 'numbers', preprocessor: { name: 'standardized-vector', config: { size: 3 } } },
      },
      labels: { label: {} },
      split: { field: 'split', fractions: { validation: 0.2 }, stratify: 'label' },
      seed: 3,
    };
    const dataset = await loadDataset(spec);
    expect(dataset.summary().samples).toEqual({ train: 96, validation: 24, test: 30 });
    const build = (modelSeed: number) =>
      new Trainer({
        model: tinyModel(modelSeed),
        losses: [
          { name: 'main', loss: crossEntropy },
          { name: 'aux_b', loss: crossEntropy, output: 'logits_b' },
        ],
        optimizer: new Adam({ learningRate: 0.02 }),
        metrics: [createMetric({ name: 'accuracy' })],
        seed: 9,
      });
    const loader = () => dataset.loader('train', { batchSize: 16, shuffle: true });
    const validation = dataset.loader('validation', { batchSize: 32 });

    const full = build(1);
    const result = await full.fit(loader(), { epochs: 4, validation });
    expect(result.steps).toBe(24);
    expect(result.history[3].values['val.accuracy']).toBeGreaterThan(0.8);
    const test = await full.evaluate(dataset.loader('test', { batchSize: 64 }), { prefix: 'test.' });
    expect(test['test.accuracy']).toBeGreaterThan(0.8);

    const controller = new AbortController();
    const first = build(1);
    first.callbacks.push({ name: 'stop', onStepEnd: (log) => void (log.step === 9 ? controller.abort() : undefined) });
    await first.fit(loader(), { epochs: 4, validation, signal: controller.signal });
    const resumed = build(5);
    await resumed.restore(await first.checkpoint());
    const rest = await resumed.fit(loader(), { epochs: 4, validation });
    expect(weightValues(resumed.model)).toEqual(weightValues(full.model));
    expect(rest.history.map((h) => h.values)).toEqual(result.history.map((h) => h.values));
  });
});
