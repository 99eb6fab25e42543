import { describe, expect, it, beforeAll } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, tf } from '@polyfuse/core';
import { loadModel } from '@polyfuse/core/node';
import { loadConfig, silentProgress, trainRun } from '../index.js';
import { writeTinyDataset } from '../../fixtures/tinyDataset.js';

async function finalWeights(runDir: string): Promise<number[][]> {
  const model = await loadModel(path.join(runDir, 'checkpoints', 'last'));
  const weights = model.model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return weights;
}

describe('trainRun', () => {
  let dir: string;

  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-train-'));
    await writeTinyDataset(dir, { config: { training: { epochs: 3, batchSize: 8, seed: 3, modalityDropout: 0.3 } } });
  });

  it('gives identical weights for the same seed', async () => {
    const config = await loadConfig(path.join(dir, 'config.json'));
    await trainRun(config, { outDir: path.join(dir, 'same-a') });
    await trainRun(config, { outDir: path.join(dir, 'same-b') });
    expect(await finalWeights(path.join(dir, 'same-b'))).toEqual(await finalWeights(path.join(dir, 'same-a')));
  });

  it('stopped mid-epoch (Ctrl-C) and resumed, ends with the same weights as an uninterrupted run', async () => {
    const config = await loadConfig(path.join(dir, 'config.json'));
    const whole = await trainRun(config, { outDir: path.join(dir, 'whole') });
    expect(whole.interrupted).toBe(false);

    // Ctrl-C in the second epoch: the trainer stops after the current step and saves checkpoints/last.
    const stop = new AbortController();
    const progress = { ...silentProgress, update: (done: number) => void (started2 && done === 2 && stop.abort()), start: (label: string) => void (started2 = label.startsWith('epoch 2')) };
    let started2 = false;
    const stopped = await trainRun(config, { outDir: path.join(dir, 'resumed'), signal: stop.signal, progress });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.epochs).toBe(1);
    await expect(fs.access(path.join(dir, 'resumed/model'))).rejects.toThrow();

    const resumed = await trainRun(config, { outDir: path.join(dir, 'resumed'), resume: true });
    expect(resumed.interrupted).toBe(false);
    expect(await finalWeights(path.join(dir, 'resumed'))).toEqual(await finalWeights(path.join(dir, 'whole')));
    const logs = (await fs.readFile(path.join(dir, 'resumed/logs/train.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const wholeLogs = (await fs.readFile(path.join(dir, 'whole/logs/train.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const withoutTime = (records: Record<string, unknown>[]) => records.map(({ seconds: _seconds, ...rest }) => rest);
    expect(withoutTime(logs)).toEqual(withoutTime(wholeLogs));
  });

  it('keeps the number of live tensors stable across epochs', async () => {
    const config = await loadConfig(path.join(dir, 'config.json'));
    await trainRun({ ...config, training: { ...config.training, epochs: 1 } }, { outDir: path.join(dir, 'leak-1') });
    const after1 = tf.memory().numTensors;
    await trainRun({ ...config, training: { ...config.training, epochs: 3 } }, { outDir: path.join(dir, 'leak-3') });
    expect(tf.memory().numTensors).toBe(after1);
  });

  it('refuses --resume without a checkpoint', async () => {
    const config = await loadConfig(path.join(dir, 'config.json'));
    await expect(trainRun(config, { outDir: path.join(dir, 'fresh'), resume: true })).rejects.toThrow(/--resume: no checkpoint at .*checkpoints\/last/);
  });
});
