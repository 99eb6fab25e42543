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
const hasEspeak = spawnSync('espeak-ng', ['--version']).status === 0;

function generate(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [generator, ...args], { encoding: 'utf8', env, cwd: appDir });
}

describe('av-digits', () => {
  it('tells the user how to install espeak-ng when it is missing', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'av-digits-'));
    // A PATH holding only a link to node: espeak-ng cannot be found.
    const bin = path.join(out, 'bin');
    await fs.mkdir(bin);
    await fs.symlink(process.execPath, path.join(bin, 'node'));
    const result = generate(['--out', path.join(out, 'data'), '--max-per-digit', '5'], { PATH: bin });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/espeak-ng is not installed/);
    expect(result.stderr).toMatch(/apt-get install espeak-ng/);
    expect(result.stderr).not.toMatch(/at .*\.mjs:\d+/); // no stack trace
  });

  it('rejects bad generator options with the option name', () => {
    const result = generate(['--test-fraction', '2', '--out', path.join(os.tmpdir(), 'never-written')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--test-fraction must be between 0 and 1/);
  });

  it.skipIf(!hasEspeak)('generates paired, deterministic samples with held-out speakers', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'av-digits-'));
    const first = generate(['--out', path.join(out, 'a'), '--max-per-digit', '12', '--quiet']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    generate(['--out', path.join(out, 'b'), '--max-per-digit', '12', '--quiet']);
    const manifestA = await fs.readFile(path.join(out, 'a', 'manifest.jsonl'), 'utf8');
    expect(await fs.readFile(path.join(out, 'b', 'manifest.jsonl'), 'utf8')).toBe(manifestA);
    const rows = manifestA.trim().split('\n').map((line) => JSON.parse(line));
    expect(rows).toHaveLength(120);
    expect(new Set(rows.map((r) => r.label)).size).toBe(10);
    const bytesA = await fs.readFile(path.join(out, 'a', rows[0].audio));
    expect(bytesA.equals(await fs.readFile(path.join(out, 'b', rows[0].audio)))).toBe(true);
    const speakers = (split: string) => new Set(rows.filter((r) => r.split === split).map((r) => r.speaker));
    for (const speaker of speakers('test')) {
      expect(speakers('train').has(speaker)).toBe(false);
      expect(speakers('val').has(speaker)).toBe(false);
    }
    const images = (split: string) => new Set(rows.filter((r) => r.split === split).map((r) => `${r.label}:${r.id.split('-')[2]}`));
    for (const image of images('test')) expect(images('train').has(image)).toBe(false);
  });

  it.skipIf(!hasEspeak)('trains and evaluates the fused model from config.yaml through the CLI', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'av-digits-'));
    expect(generate(['--out', path.join(out, 'data'), '--max-per-digit', '12', '--quiet']).status).toBe(0);
    const config = YAML.parse(await fs.readFile(path.join(appDir, 'config.yaml'), 'utf8'));
    config.data.manifest = path.join(out, 'data', 'manifest.jsonl');
    config.training.epochs = 1;
    await fs.writeFile(path.join(out, 'config.yaml'), YAML.stringify(config));
    const stderr: string[] = [];
    const io = {
      stdout: { write: () => true },
      stderr: { write: (chunk: string) => (stderr.push(chunk), true) },
      cwd: out,
    } as unknown as Parameters<typeof runCli>[1];
    const code = await runCli(['train', '--config', path.join(out, 'config.yaml'), '--out', path.join(out, 'run')], io);
    expect(stderr.join('')).not.toMatch(/error/i);
    expect(code).toBe(0);
    const evaluation = JSON.parse(await fs.readFile(path.join(out, 'run', 'evaluation.json'), 'utf8'));
    expect(JSON.stringify(evaluation)).toMatch(/accuracy/);
  });
});
