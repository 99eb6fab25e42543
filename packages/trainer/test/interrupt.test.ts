import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@polyfuse/core';
import { crossEntropyLoss } from '@polyfuse/losses';
import { Trainer, Adam, readCheckpoint } from '../src/node.js';
import { tinyModel } from '../src/testing/tinyTask.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const vite = createRequire(require.resolve('vitest/package.json')).resolve('vite');
let dir: string;

describe('Ctrl-C during training', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-sigint-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('saves a checkpoint after the current step and exits cleanly; the checkpoint resumes', async () => {
    const child = spawn(process.execPath, [path.join(here, 'fixtures/runTs.mjs'), path.join(here, 'fixtures/interruptibleTraining.ts'), dir], {
      env: { ...process.env, POLYFUSE_VITE: vite },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('READY')) resolve();
      });
      child.on('exit', () => reject(new Error(`child exited before READY: ${stderr}`)));
    });
    child.kill('SIGINT');
    const code = await exit;
    expect(stderr).toContain('stopping after this step and saving a checkpoint');
    expect(code).toBe(130);
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result).toMatchObject({ interrupted: true });
    expect(result.steps).toBeGreaterThanOrEqual(3);

    // the checkpoint is complete, no temporary folders are left, and it resumes where the run stopped
    expect((await fs.readdir(dir)).sort()).toEqual(['last']);
    const files = await readCheckpoint(path.join(dir, 'last'));
    const trainer = new Trainer({ model: tinyModel(7), losses: [{ name: 'main', loss: (p, t) => crossEntropyLoss(p, t) as never }], optimizer: new Adam({ learningRate: 0.01 }), seed: 2 });
    await trainer.restore(files);
    expect(trainer.state.step).toBe(result.steps);
    expect(trainer.state.epoch * 8 + trainer.state.batchInEpoch).toBe(result.steps);
  });
});
