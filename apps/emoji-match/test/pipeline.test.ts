import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { runCli } from '@polyfuse/cli';

const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const generator = path.join(appDir, 'scripts', 'generate-data.mjs');

describe('emoji-match pipeline on a small generated set', () => {
  it('trains the dual encoder from config.yaml and retrieves an unseen style far better than chance', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'emoji-pipeline-'));
    const generated = spawnSync(process.execPath, [generator, '--out', path.join(out, 'data'), '--max-emoji', '240', '--quiet'], { encoding: 'utf8' });
    expect(generated.status, generated.stderr).toBe(0);
    const config = YAML.parse(await fs.readFile(path.join(appDir, 'config.yaml'), 'utf8'));
    config.data.manifest = path.join(out, 'data', 'pairs.jsonl');
    config.training.epochs = 12;
    config.training.batchSize = 64;
    await fs.writeFile(path.join(out, 'config.yaml'), YAML.stringify(config));
    const stderr: string[] = [];
    const io = { stdout: { write: () => true }, stderr: { write: (chunk: string) => (stderr.push(chunk), true) }, cwd: out } as unknown as Parameters<typeof runCli>[1];
    const code = await runCli(['train', '--config', path.join(out, 'config.yaml'), '--out', path.join(out, 'run')], io);
    expect(stderr.join(''), stderr.join('')).not.toMatch(/error/i);
    expect(code).toBe(0);

    const evaluation = JSON.parse(await fs.readFile(path.join(out, 'run', 'evaluation.json'), 'utf8'));
    const rows = (await fs.readFile(path.join(out, 'data', 'pairs.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const test = rows.filter((r) => r.split === 'test');
    expect(evaluation.split).toBe('test');
    // Chance: a random ranking finds one of ~N distinct emoji in its top 5 with probability ~5/N.
    const chance = 5 / new Set(test.map((r) => r.emoji)).size;
    expect(evaluation.metrics['recall@5_image_text']).toBeGreaterThan(3 * chance);
    const match = evaluation.tasks.match;
    expect(match.examples[0].top).toHaveLength(5);
  }, 600_000);
});
