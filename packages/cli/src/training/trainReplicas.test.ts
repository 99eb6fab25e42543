import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, SeededRandom } from '@polyfuse/core';
import { loadModel } from '@polyfuse/core/node';
import '../registerPackages.js';

// Worker threads load built JavaScript, so data-parallel runs go through the built CLI (`pnpm build` first).
const bin = fileURLToPath(new URL('../../bin/polyfuse.js', import.meta.url));
const built = fileURLToPath(new URL('../../dist/training/trainReplica.js', import.meta.url));

function train(dir: string, out: string, extra: string[] = []): void {
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm build\` before this test.`);
  const result = spawnSync(process.execPath, [bin, 'train', '-c', path.join(dir, 'config.json'), '-o', path.join(dir, out), '-q', '--no-report', ...extra], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`polyfuse train ${extra.join(' ')} exited ${result.status}: ${result.stderr}`);
}

async function finalWeights(runDir: string): Promise<number[]> {
  const model = await loadModel(path.join(runDir, 'checkpoints', 'last'));
  const weights = model.model.getWeights().flatMap((w) => Array.from(w.dataSync()));
  model.dispose();
  return weights;
}

describe('polyfuse train --replicas (data-parallel threads)', () => {
  let dir: string;

  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-replicas-'));
    await writeNumericDataset(dir);
  });

  it('trains reproducibly in 2 threads, close to one-thread training, and writes a complete run', async () => {
    train(dir, 'one');
    train(dir, 'two-a', ['--replicas', '2']);
    train(dir, 'two-b', ['--replicas', '2']);
    const a = await finalWeights(path.join(dir, 'two-a'));
    expect(await finalWeights(path.join(dir, 'two-b'))).toEqual(a);
    const single = await finalWeights(path.join(dir, 'one'));
    const difference = Math.max(...a.map((w, i) => Math.abs(w - single[i]!)));
    expect(difference).toBeLessThan(1e-4);
    for (const file of ['model/model.json', 'evaluation.json', 'logs/train.jsonl', 'checkpoints/last/trainer.json']) {
      await expect(fs.access(path.join(dir, 'two-a', file))).resolves.toBeUndefined();
    }
    const epochs = (await fs.readFile(path.join(dir, 'two-a/logs/train.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'epoch');
    expect(epochs).toHaveLength(2);
  });

  it('rejects a replica count that is not a positive integer', () => {
    const result = spawnSync(process.execPath, [bin, 'train', '-c', path.join(dir, 'config.json'), '--replicas', '0'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--replicas must be an integer >= 1, got '0'/);
  });
});

/**
 * 60 samples of two numeric modalities (inline arrays) and 3 classes, with a
 * config made only of built-in components (the spawned CLI cannot import the
 * TypeScript test plugin): numeric preprocessors, MLP encoders, concat, MLP
 * head, a DWA-weighted auxiliary loss, modality dropout, a final 4-row batch.
 */
async function writeNumericDataset(dir: string): Promise<void> {
  const rng = new SeededRandom(5);
  const lines = Array.from({ length: 60 }, (_, i) => {
    const k = i % 3;
    const a = Array.from({ length: 4 }, (_, j) => (j === k ? 2 : 0) + rng.normal(0, 0.5));
    const b = Array.from({ length: 3 }, (_, j) => (j === k ? 1 : 0) + rng.normal(0, 0.8));
    return JSON.stringify({ id: `s${i}`, a, b, label: ['cat', 'dog', 'owl'][k] });
  });
  await fs.writeFile(path.join(dir, 'manifest.jsonl'), lines.join('\n') + '\n');
  const numeric = (columns: string[]) => ({ type: 'numbers', preprocessor: { name: 'numeric', config: { columns, missingIndicator: false } } });
  const config = {
    name: 'numeric',
    data: {
      manifest: 'manifest.jsonl',
      modalities: { a: numeric(['a0', 'a1', 'a2', 'a3']), b: numeric(['b0', 'b1', 'b2']) },
      labels: { label: { field: 'label' } },
      split: { fractions: { validation: 0.2, test: 0.2 }, stratify: 'label' },
    },
    model: {
      encoders: { a: { name: 'signal-mlp', config: { inputSize: 4, units: [8] } }, b: { name: 'signal-mlp', config: { inputSize: 3, units: [8] } } },
      fusion: 'concat',
      head: { name: 'mlp', config: { units: 3, hiddenUnits: [8] } },
      auxiliaryHeads: { name: 'mlp', config: { units: 3 } },
    },
    loss: { terms: { fused: { loss: 'cross-entropy' }, a: { output: 'logits_a' }, b: { output: 'logits_b' } }, weighting: { name: 'dwa' } },
    metrics: ['accuracy'],
    optimizer: { name: 'adam', config: { learningRate: 0.05 } },
    training: { epochs: 2, batchSize: 8, seed: 3, modalityDropout: 0.3 },
  };
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
}
