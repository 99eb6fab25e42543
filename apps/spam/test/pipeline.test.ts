import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { runCli } from '@polyfuse/cli';
// @ts-expect-error: a plain ES module without type declarations
import { readJsonl, scoreSpam } from '../scripts/scores.mjs';
// @ts-expect-error: a plain ES module without type declarations
import { runBaselines } from '../scripts/baselines.mjs';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const generator = path.join(appDir, 'scripts', 'generate-data.mjs');

interface Row {
  id: string;
  label: 'spam' | 'ham';
  split: string;
}

/** Runs the polyfuse CLI in this process; returns its exit code and what it wrote to stderr. */
async function polyfuse(args: string[], cwd: string) {
  const stderr: string[] = [];
  const io = { stdout: { write: () => true }, stderr: { write: (chunk: string) => (stderr.push(chunk), true) }, cwd } as unknown as Parameters<typeof runCli>[1];
  const code = await runCli(args, io);
  return { code, stderr: stderr.join('') };
}

describe('spam pipeline on a small sample of the corpus', () => {
  it('trains the fused model of config.yaml and beats the majority class and the metadata-only baseline on the test split', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'spam-pipeline-'));
    const dataDir = path.join(out, 'data');
    const generated = spawnSync(process.execPath, [generator, '--out', dataDir, '--max-emails', '1500', '--quiet'], { encoding: 'utf8' });
    expect(generated.status, generated.stderr).toBe(0);

    const config = YAML.parse(await fs.readFile(path.join(appDir, 'config.yaml'), 'utf8'));
    config.data.manifest = path.join(dataDir, 'manifest.jsonl');
    config.training.epochs = 8;
    config.evaluation = { contribution: false, robustness: [] };
    await fs.writeFile(path.join(out, 'config.yaml'), YAML.stringify(config));
    const trained = await polyfuse(['train', '--config', path.join(out, 'config.yaml'), '--out', path.join(out, 'run'), '--quiet'], out);
    expect(trained.stderr).not.toMatch(/error/i);
    expect(trained.code).toBe(0);

    const rows: Row[] = await readJsonl(path.join(dataDir, 'manifest.jsonl'));
    const test = rows.filter((r) => r.split === 'test');
    await fs.writeFile(path.join(out, 'test.jsonl'), test.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const predicted = await polyfuse(['predict', path.join(out, 'run'), '--manifest', path.join(out, 'test.jsonl'), '--output', path.join(out, 'predictions.json')], out);
    expect(predicted.code, predicted.stderr).toBe(0);
    const predictions: { id: string; probabilities: { spam: number } }[] = JSON.parse(await fs.readFile(path.join(out, 'predictions.json'), 'utf8'));
    const pSpam = new Map(predictions.map((p) => [p.id, p.probabilities.spam]));
    const fused = scoreSpam(test.map((r) => r.label), test.map((r) => pSpam.get(r.id)));

    const baselines = runBaselines(rows.filter((r) => r.split === 'train'), { test });
    const majority = baselines['majority class'].test;
    const metadata = baselines['logistic regression (metadata)'].test;
    const scores = JSON.stringify({ fused, majority, metadata });
    expect(fused.spam, scores).toBeGreaterThan(20);
    expect(fused.accuracy, scores).toBeGreaterThan(majority.accuracy + 0.05);
    expect(fused.f1, scores).toBeGreaterThan(0.6);
    expect(fused.averagePrecision, scores).toBeGreaterThan(metadata.averagePrecision);
    expect(fused.rocAuc, scores).toBeGreaterThan(metadata.rocAuc);
  }, 180_000);
});
