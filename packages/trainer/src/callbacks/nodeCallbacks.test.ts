import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { PassThrough } from 'node:stream';
import { initBackend, tf } from '@polyfuse/core';
import { loadModel } from '@polyfuse/core/node';
import { crossEntropyLoss, UncertaintyWeighting, OgmGe, PCGrad } from '@polyfuse/losses';
import { Trainer, Adam, createMetric, createCallback, CheckpointCallback, EarlyStopping, JsonlLogger, ProgressBar, readCheckpoint, type LossTerm, type WeightingStrategy } from '../node.js';
import { memorySource, tinyModel, tinySamples, weightValues } from '../testing/tinyTask.js';

const crossEntropy = (p: tf.Tensor, t: tf.Tensor) => crossEntropyLoss(p, t) as tf.Scalar;
const terms: LossTerm[] = [
  { name: 'main', loss: crossEntropy },
  { name: 'aux_a', loss: crossEntropy, output: 'logits_a' },
  { name: 'aux_b', loss: crossEntropy, output: 'logits_b' },
];
const train = tinySamples(64, 1);
const validation = tinySamples(32, 2);
let dir: string;

describe('checkpoints, logs and progress (Node)', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-trainer-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes best and last checkpoints atomically, a JSONL log and a line per epoch', async () => {
    const checkpoints = new CheckpointCallback({ dir: path.join(dir, 'run'), monitor: 'val.accuracy', mode: 'max' });
    const logFile = path.join(dir, 'run', 'log.jsonl');
    const stderr = new PassThrough();
    let printed = '';
    stderr.on('data', (chunk) => (printed += chunk));
    const trainer = new Trainer({
      model: tinyModel(3),
      losses: terms,
      optimizer: new Adam({ learningRate: 0.02 }),
      metrics: [createMetric({ name: 'accuracy' }), createMetric({ name: 'f1' })],
      callbacks: [checkpoints, new JsonlLogger(logFile), new ProgressBar({ stream: stderr as unknown as NodeJS.WriteStream, epochs: 3, interactive: false })],
    });
    await trainer.fit(memorySource(train, 16), { epochs: 3, validation: memorySource(validation, 32) });

    const lines = (await fs.readFile(logFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'step')).toHaveLength(12);
    const epochs = lines.filter((l) => l.type === 'epoch');
    expect(epochs).toHaveLength(3);
    for (const key of ['loss.total', 'loss.main', 'loss.aux_a', 'loss.aux_b', 'weight.main', 'weight.aux_b', 'lr', 'val.loss.total', 'val.accuracy', 'val.f1']) {
      expect(epochs[2][key], key).toBeTypeOf('number');
    }
    expect(printed.trim().split('\n')).toHaveLength(3);
    expect(printed).toMatch(/^epoch 1\/3  loss\.total \d\.\d{4}  lr 0\.0200  val\.loss\.main .* val\.accuracy \d\.\d{4}  val\.f1 \d\.\d{4}  \(\d+\.\ds\)$/m);

    // last/ is the final state and a model folder loadModel opens; best/ is where val.accuracy peaked
    const last = await loadModel(checkpoints.lastDir);
    expect(weightValues(last)).toEqual(weightValues(trainer.model));
    const best = await readCheckpoint(checkpoints.bestDir);
    const bestEpoch = epochs.reduce((b, l) => (l['val.accuracy'] > b['val.accuracy'] ? l : b));
    expect(JSON.parse(best['trainer.json']).state.epoch).toBe(bestEpoch.epoch + 1);
    expect((await fs.readdir(path.join(dir, 'run'))).sort()).toEqual(['best', 'last', 'log.jsonl']);
    await expect(readCheckpoint(path.join(dir, 'nowhere'))).rejects.toThrow(/is not a complete polyfuse checkpoint/);
  });

  it('builds callbacks from the registry, as config files name them', () => {
    expect(createCallback({ name: 'checkpoint', config: { dir: path.join(dir, 'x'), monitor: 'val.f1', mode: 'max' } })).toBeInstanceOf(CheckpointCallback);
    expect(createCallback({ name: 'early-stopping', config: { patience: 2 } })).toBeInstanceOf(EarlyStopping);
    expect(createCallback({ name: 'jsonl-logger', config: { file: path.join(dir, 'l.jsonl') } })).toBeInstanceOf(JsonlLogger);
    expect(() => createCallback({ name: 'checkpoint', config: {} })).toThrow(/callback\.dir is required/);
    expect(() => createCallback({ name: 'tensorboard' })).toThrow(/Unknown callback 'tensorboard'. Registered callback names: checkpoint, early-stopping, jsonl-logger, progress/);
  });

  it('draws a progress bar only on a terminal', async () => {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (c) => (out += c));
    const bar = new ProgressBar({ stream: stream as unknown as NodeJS.WriteStream, epochs: 2, stepsPerEpoch: 4, interactive: true });
    bar.onStepEnd({ type: 'step', epoch: 0, step: 4, batch: 3, values: { 'loss.total': 0.5 } });
    expect(out).toContain('\r\x1b[2Kepoch 1/2 [########################] 4/4 loss 0.5000');
  });

  const strategies: [string, () => WeightingStrategy][] = [
    ['uncertainty (learns its own variables)', () => new UncertaintyWeighting() as unknown as WeightingStrategy],
    ['OGM-GE (needs modality scores and variables)', () => new OgmGe({ seed: 1 }) as unknown as WeightingStrategy],
    ['PCGrad (per-term gradients)', () => new PCGrad({ seed: 1 }) as unknown as WeightingStrategy],
  ];
  for (const [label, make] of strategies) {
    it(`trains and resumes with @polyfuse/losses weighting: ${label}`, async () => {
      const build = (modelSeed: number) =>
        new Trainer({ model: tinyModel(modelSeed), losses: terms, optimizer: new Adam({ learningRate: 0.02 }), weighting: make(), seed: 5 });
      const full = build(3);
      await full.fit(memorySource(train, 16, { shuffleSeed: 1 }), { epochs: 2 });
      const controller = new AbortController();
      const first = build(3);
      first.callbacks.push({ name: 'stop', onStepEnd: (log) => void (log.step === 3 ? controller.abort() : undefined) });
      await first.fit(memorySource(train, 16, { shuffleSeed: 1 }), { epochs: 2, signal: controller.signal });
      const resumed = build(8);
      await resumed.restore(await first.checkpoint());
      const result = await resumed.fit(memorySource(train, 16, { shuffleSeed: 1 }), { epochs: 2 });
      expect(weightValues(resumed.model)).toEqual(weightValues(full.model));
      expect(resumed.weighting.variables.map((v) => Array.from(v.dataSync()))).toEqual(full.weighting.variables.map((v) => Array.from(v.dataSync())));
      const weights = Object.keys(result.history[1].values).filter((k) => k.startsWith('weight.'));
      expect(weights.length).toBeGreaterThan(0);
    });
  }
});
