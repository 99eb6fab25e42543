import { describe, expect, it, beforeAll } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { initBackend, loadModelFromUrl, SeededRandom, tf } from '@polyfuse/core';
import { exitCodes, restorePreprocessors } from '../index.js';
import { writeTinyDataset } from '../../fixtures/tinyDataset.js';
import { runPolyfuse } from '../../fixtures/runInProcess.js';

const polyfuse = runPolyfuse;

describe('polyfuse train → eval → predict → inspect → report', () => {
  let dir: string;

  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-cli-'));
    await writeTinyDataset(dir, {
      extraLines: [
        '{"id": "broken", "a": "files/a0.json", ',
        JSON.stringify({ id: 'lost', a: 'files/nowhere.json', b: 'files/b0.json', label: 'cat' }),
      ],
    });
  });

  it('trains a run folder, skipping and reporting the corrupt line and the missing file', async () => {
    const result = await polyfuse(dir, 'train', '--config', 'config.json', '--out', 'runs/tiny');
    expect(result.stderr).not.toMatch(/error:/);
    expect(result.code).toBe(exitCodes.ok);
    expect(result.stderr).toMatch(/manifest\.jsonl:49: not valid JSON/);
    expect(result.stderr).toMatch(/manifest\.jsonl:50: field 'a': file .*nowhere\.json does not exist/);
    const run = path.join(dir, 'runs/tiny');
    for (const file of ['model/model.json', 'model/weights.bin', 'model/polyfuse.json', 'model/preprocessing.json', 'config.json', 'logs/train.jsonl', 'evaluation.json', 'checkpoints/last/trainer.json', 'checkpoints/best/model.json', 'report/index.html', 'report/loss.png', 'report/confusion.svg']) {
      await expect(fs.access(path.join(run, file)), file).resolves.toBeUndefined();
    }
    const logs = (await fs.readFile(path.join(run, 'logs/train.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const epochs = logs.filter((r) => r.type === 'epoch');
    expect(epochs).toHaveLength(4);
    expect(Object.keys(epochs[0]).filter((k) => k.startsWith('loss.'))).toEqual(['loss.total', 'loss.fused', 'loss.a', 'loss.b']);
    expect(epochs[3]['loss.total']).toBeLessThan(epochs[0]['loss.total']);
    // DWA gives equal weights for two epochs, then adapts them (they always sum to the number of terms).
    expect([epochs[0]['weight.fused'], epochs[0]['weight.a'], epochs[0]['weight.b']]).toEqual([1, 1, 1]);
    expect(epochs[3]['weight.fused'] + epochs[3]['weight.a'] + epochs[3]['weight.b']).toBeCloseTo(3, 5);
    expect(epochs[3]['weight.a']).not.toBeCloseTo(1, 6);
    expect(epochs[3]).toHaveProperty('val.accuracy');
    expect(epochs[3]).toHaveProperty('val.f1');
    const evaluation = JSON.parse(await fs.readFile(path.join(run, 'evaluation.json'), 'utf8'));
    expect(evaluation.split).toBe('test');
    expect(evaluation.metrics.accuracy).toBeGreaterThan(0.6);
    expect(Object.keys(evaluation.contribution.modalities)).toEqual(['a', 'b']);
    expect(evaluation.contribution.modalities.a.contribution).toBeGreaterThan(evaluation.contribution.modalities.b.contribution);
    expect(evaluation.robustness.points).toHaveLength(10);
  });

  it('evaluates the run on the same test split', async () => {
    const result = await polyfuse(dir, 'eval', 'runs/tiny', '--output', 'eval.json');
    expect(result.code).toBe(exitCodes.ok);
    expect(result.stdout).toMatch(/test: \d+ samples/);
    const scores = JSON.parse(await fs.readFile(path.join(dir, 'eval.json'), 'utf8'));
    const trained = JSON.parse(await fs.readFile(path.join(dir, 'runs/tiny/evaluation.json'), 'utf8'));
    expect(scores.metrics).toEqual(trained.metrics);
    expect(scores.confusion).toEqual(trained.confusion);
    // Another manifest: every labelled, readable sample is scored (48 of the 50 lines here).
    const other = await polyfuse(dir, 'eval', 'runs/tiny', '--manifest', 'manifest.jsonl');
    expect(other.code).toBe(exitCodes.ok);
    expect(other.stdout).toMatch(/^manifest\.jsonl: 48 samples/);
    expect(other.stderr).toMatch(/skipped .*manifest\.jsonl:49: not valid JSON/);
  });

  it('says which extra passes eval runs and prints their results', async () => {
    const result = await polyfuse(dir, 'eval', 'runs/tiny');
    expect(result.code).toBe(exitCodes.ok);
    // The tiny config has two modalities and five robustness rates.
    expect(result.stderr).toMatch(/^extra passes: 2 \(each modality masked for every sample\) for contribution, robustness at 0%, 25%, 50%, 75%, 100%; --no-extras skips them$/m);
    const trained = JSON.parse(await fs.readFile(path.join(dir, 'runs/tiny/evaluation.json'), 'utf8'));
    const { full, without, contribution } = trained.contribution.modalities.a;
    expect(result.stdout).toContain(`contribution (accuracy drop when one modality is masked):\n  a  ${full.toFixed(4)} -> ${without.toFixed(4)}  ${contribution >= 0 ? '+' : ''}${contribution.toFixed(4)}\n`);
    expect(result.stdout).toMatch(/^robustness \(accuracy with a modality missing from a share of the samples\):\n {2}a {2}0% [\d.]+, 25% [\d.]+, 50% [\d.]+, 75% [\d.]+, 100% [\d.]+\n {2}b {2}0% /m);

    const skipped = await polyfuse(dir, 'eval', 'runs/tiny', '--no-extras', '-o', 'plain.json');
    expect(skipped.code).toBe(exitCodes.ok);
    expect(skipped.stderr).toMatch(/^extra passes: none \(--no-extras\)$/m);
    expect(skipped.stdout).not.toMatch(/contribution|robustness/);
    const plain = JSON.parse(await fs.readFile(path.join(dir, 'plain.json'), 'utf8'));
    expect(plain).not.toHaveProperty('contribution');
    expect(plain).not.toHaveProperty('robustness');
    expect(plain.metrics).toEqual(trained.metrics);
  });

  it('evaluates with a modality masked for every sample (--mask)', async () => {
    const masked = await polyfuse(dir, 'eval', 'runs/tiny', '--mask', 'a', '-o', 'masked.json');
    expect(masked.code).toBe(exitCodes.ok);
    expect(masked.stdout).toMatch(/^test: \d+ samples, a masked\n/);
    const scores = JSON.parse(await fs.readFile(path.join(dir, 'masked.json'), 'utf8'));
    const trained = JSON.parse(await fs.readFile(path.join(dir, 'runs/tiny/evaluation.json'), 'utf8'));
    expect(scores.masked).toEqual(['a']);
    // The same as the contribution pass that masks a alone; masking it again changes nothing.
    expect(scores.metrics.accuracy).toBeCloseTo(trained.contribution.modalities.a.without, 10);
    expect(scores.contribution.modalities.a.contribution).toBe(0);

    const both = await polyfuse(dir, 'eval', 'runs/tiny', '--mask', 'a,b', '--no-extras');
    expect(both.code).toBe(exitCodes.ok);
    expect(both.stdout).toMatch(/^test: \d+ samples, a, b masked\n/);
    expect((await polyfuse(dir, 'eval', 'runs/tiny', '--mask', 'a', '--mask', 'b', '--no-extras')).stdout).toBe(both.stdout);

    const unknown = await polyfuse(dir, 'eval', 'runs/tiny', '--mask', 'image');
    expect(unknown.code).toBe(exitCodes.usage);
    expect(unknown.stderr).toMatch(/^error: --mask: the model has no modality 'image'\. Its modalities: a, b\.\n$/);
  });

  it('predicts one sample from files, and a manifest as CSV, with the training preprocessing', async () => {
    const one = await polyfuse(dir, 'predict', 'runs/tiny', '--input', 'a=files/a1.json', '--input', 'b=files/b1.json');
    expect(one.code).toBe(exitCodes.ok);
    const [prediction] = JSON.parse(one.stdout);
    expect(Object.keys(prediction.probabilities)).toEqual(['cat', 'dog', 'owl']);
    expect(Object.values(prediction.probabilities as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(prediction.prediction).toBe('dog');

    const onlyA = await polyfuse(dir, 'predict', 'runs/tiny', '--input', 'a=files/a1.json');
    expect(onlyA.code).toBe(exitCodes.ok);
    expect(JSON.parse(onlyA.stdout)[0].probabilities).not.toEqual(prediction.probabilities);

    const csv = await polyfuse(dir, 'predict', 'runs/tiny', '--manifest', 'manifest.jsonl', '--output', 'predictions.csv');
    expect(csv.code).toBe(exitCodes.ok);
    const lines = (await fs.readFile(path.join(dir, 'predictions.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('id,prediction,p_cat,p_dog,p_owl');
    expect(lines).toHaveLength(49);
    expect(lines[2].startsWith('s1,')).toBe(true);
    expect(csv.stderr).toMatch(/skipped .*:50: field 'a'/);
  });

  it('exports a model that loads over HTTP (as in a browser) and predicts identically', async () => {
    const modelDir = path.join(dir, 'runs/tiny/model');
    const server = http.createServer(async (request, response) => {
      try {
        response.end(await fs.readFile(path.join(modelDir, path.basename(request.url ?? ''))));
      } catch {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const model = await loadModelFromUrl(`http://127.0.0.1:${port}`);
      // The browser side preprocesses with the saved state, exactly as `polyfuse predict` does.
      const preprocessing = JSON.parse(await (await fetch(`http://127.0.0.1:${port}/preprocessing.json`)).text());
      const preprocessors = restorePreprocessors(preprocessing, 'preprocessing.json');
      const context = { baseDir: dir, training: false, rng: new SeededRandom(0) };
      const inputs = {
        a: tf.tensor2d(await preprocessors.a.process('files/a1.json', context), [1, 4]),
        b: tf.tensor2d(await preprocessors.b.process('files/b1.json', context), [1, 3]),
      };
      const probabilities = tf.tidy(() => tf.softmax(model.predict({ inputs })).dataSync());
      tf.dispose(Object.values(inputs));
      model.dispose();
      const cli = JSON.parse((await polyfuse(dir, 'predict', 'runs/tiny', '--input', 'a=files/a1.json', '--input', 'b=files/b1.json')).stdout)[0];
      expect(Array.from(probabilities)).toEqual(Object.values(cli.probabilities));
    } finally {
      server.close();
    }
  });

  it('inspects the trained model and the config', async () => {
    const model = await polyfuse(dir, 'inspect', 'runs/tiny', '--json');
    expect(model.code).toBe(exitCodes.ok);
    const summary = JSON.parse(model.stdout);
    expect(summary.parameters['encoder:a']).toBe(4 * 8 + 8);
    expect(summary.parameters.head).toBe(16 * 3 + 3);
    expect(summary.classes.label).toEqual(['cat', 'dog', 'owl']);
    const config = await polyfuse(dir, 'inspect', 'config.json');
    expect(config.code).toBe(exitCodes.ok);
    expect(config.stdout).toMatch(/onBadSample: skip/);
    expect(config.stdout).toMatch(/encoder:b\s+32/);
  });

  it('rewrites the report', async () => {
    const result = await polyfuse(dir, 'report', 'runs/tiny');
    expect(result.code).toBe(exitCodes.ok);
    const html = await fs.readFile(result.stdout.trim(), 'utf8');
    for (const heading of ['Loss', 'Validation metrics', 'Loss weights', 'Confusion matrix', 'Modality contribution', 'Robustness to a missing modality']) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});

describe('polyfuse exit codes and error messages', () => {
  let dir: string;

  beforeAll(async () => {
    await initBackend({ log: null });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-cli-errors-'));
  });

  it('exits 2 with the bad field path for an invalid config', async () => {
    await writeTinyDataset(dir, { config: { training: { epochs: 0 } } });
    const result = await polyfuse(dir, 'train', '--config', 'config.json');
    expect(result.code).toBe(exitCodes.usage);
    expect(result.stderr).toBe('error: training.epochs must be an integer >= 1, got 0.\n');
  });

  it('exits 2 and lists the registered names for an unknown component', async () => {
    const { config } = await writeTinyDataset(dir);
    await fs.writeFile(path.join(dir, 'bad.json'), JSON.stringify({ ...config, model: { ...config.model, fusion: 'tiny-concatt' } }));
    const result = await polyfuse(dir, 'train', '--config', 'bad.json');
    expect(result.code).toBe(exitCodes.usage);
    expect(result.stderr).toMatch(/^error: model\.fusion\.name: unknown fusion 'tiny-concatt'\. Registered fusion names: .*tiny-concat/);
  });

  it('exits 1 naming the line when a bad sample must stop the run', async () => {
    await writeTinyDataset(dir, { extraLines: ['not json'], config: { data: { ...(await writeTinyDataset(dir)).config.data, onBadSample: 'error' } } });
    const result = await polyfuse(dir, 'train', '--config', 'config.json', '--out', 'runs/strict');
    expect(result.code).toBe(exitCodes.failure);
    const errors = result.stderr.trim().split('\n').filter((line) => line.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: .*manifest\.jsonl:49: not valid JSON/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 for a missing manifest and a missing run folder, 2 for bad usage', async () => {
    const { config } = await writeTinyDataset(dir);
    await fs.writeFile(path.join(dir, 'nomanifest.json'), JSON.stringify({ ...config, data: { ...config.data, manifest: 'gone.jsonl' } }));
    const missing = await polyfuse(dir, 'train', '--config', 'nomanifest.json');
    expect(missing.code).toBe(exitCodes.failure);
    expect(missing.stderr).toMatch(/^error: data\.manifest: .*gone\.jsonl does not exist \(the path is relative to the config file/m);
    expect((await polyfuse(dir, 'predict', 'runs/none', '--input', 'a=x')).code).toBe(exitCodes.failure);
    expect((await polyfuse(dir, 'train')).code).toBe(exitCodes.usage);
    expect((await polyfuse(dir, 'train', '--config', 'missing.yaml')).stderr).toBe('error: Config file ' + path.join(dir, 'missing.yaml') + ' does not exist.\n');
    expect((await polyfuse(dir, 'frobnicate')).code).toBe(exitCodes.usage);
    expect((await polyfuse(dir, 'eval', 'runs/x', '--split', 'nope')).code).toBe(exitCodes.usage);
  });

  it('prints help for every command and exits 0', async () => {
    for (const command of ['train', 'eval', 'predict', 'inspect', 'report']) {
      const result = await polyfuse(dir, command, '--help');
      expect(result.code).toBe(exitCodes.ok);
      expect(result.stdout).toContain(`Usage: polyfuse ${command}`);
      expect(result.stdout).toContain('130  stopped by Ctrl-C');
    }
    expect((await polyfuse(dir, '--help')).stdout).toMatch(/train \[options\]/);
  });
});
