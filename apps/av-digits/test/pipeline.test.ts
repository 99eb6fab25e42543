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
/** Subset training: epochs, and the margin of the fused model over the better single modality (test split) and over image only (unseen voices). */
const EPOCHS = 8;
const MARGIN = 0.08;
const UNSEEN_MARGIN = 0.05;

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
    // Every line names its voice: accent + variant, speed and pitch.
    for (const r of rows) {
      expect(r.speaker).toBe(`${r.accent}+${r.variant}`);
      expect(typeof r.wordsPerMinute).toBe('number');
      expect(typeof r.pitch).toBe('number');
    }

    // The unseen voices: the test images again, in variants, speeds and pitches no split uses.
    const unseenText = await fs.readFile(path.join(out, 'a', 'unseen-voices.jsonl'), 'utf8');
    expect(await fs.readFile(path.join(out, 'b', 'unseen-voices.jsonl'), 'utf8')).toBe(unseenText);
    const unseen = unseenText.trim().split('\n').map((line) => JSON.parse(line));
    const test = rows.filter((r) => r.split === 'test');
    expect(unseen).toHaveLength(test.length);
    expect(new Set(unseen.map((r) => r.split))).toEqual(new Set(['test']));
    expect(new Set(unseen.map((r) => r.image))).toEqual(new Set(test.map((r) => r.image)));
    for (const field of ['variant', 'wordsPerMinute', 'pitch']) {
      const used = new Set(rows.map((r) => r[field]));
      for (const r of unseen) expect(used.has(r[field]), `${field} ${r[field]}`).toBe(false);
    }
  });

  it.skipIf(!hasEspeak)('counts the clips longer than the clip length in its output', async () => {
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'av-digits-'));
    const result = generate(['--out', path.join(out, 'data'), '--max-per-digit', '12']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/manifest\.jsonl: \d+ of 120 synthesised clips are longer than the 1 s clip .*: speech cut in 0/);
    expect(result.stderr).toMatch(/unseen-voices\.jsonl: \d+ of 20 synthesised clips/);
    const dataset = JSON.parse(await fs.readFile(path.join(out, 'data', 'dataset.json'), 'utf8'));
    expect(dataset.clipsLongerThanClipSeconds['manifest.jsonl'].clips).toBe(120);
  });

  // The pipeline of config.yaml on 100 images a digit (720 training samples), 8 epochs: the fused model must beat
  // each modality alone by a clear margin, and on the unseen voices (the same test images) still beat image only,
  // so the speech of voices it never heard helps it. Seeded: the scores are the same on every run.
  it.skipIf(!hasEspeak)(
    'trains config.yaml on a subset: the fused model beats each modality alone and scores the unseen voices',
    async () => {
      const out = await fs.mkdtemp(path.join(os.tmpdir(), 'av-digits-'));
      expect(generate(['--out', path.join(out, 'data'), '--max-per-digit', '100', '--quiet']).status).toBe(0);
      const base = YAML.parse(await fs.readFile(path.join(appDir, 'config.yaml'), 'utf8'));
      const stderr: string[] = [];
      const io = {
        stdout: { write: () => true },
        stderr: { write: (chunk: string) => (stderr.push(chunk), true) },
        cwd: out,
      } as unknown as Parameters<typeof runCli>[1];
      const accuracy = async (name: string, keep: string[]) => {
        const config = structuredClone(base);
        config.data.manifest = path.join(out, 'data', 'manifest.jsonl');
        config.training.epochs = EPOCHS;
        for (const m of Object.keys(config.data.modalities)) {
          if (keep.includes(m)) continue;
          delete config.data.modalities[m];
          delete config.model.encoders[m];
        }
        await fs.writeFile(path.join(out, `${name}.yaml`), YAML.stringify(config));
        const code = await runCli(['train', '--config', path.join(out, `${name}.yaml`), '--out', path.join(out, name)], io);
        expect(stderr.join('')).not.toMatch(/error/i);
        expect(code).toBe(0);
        return JSON.parse(await fs.readFile(path.join(out, name, 'evaluation.json'), 'utf8')).metrics.accuracy as number;
      };
      const fused = await accuracy('fused', ['image', 'audio']);
      const image = await accuracy('image', ['image']);
      const audio = await accuracy('audio', ['audio']);
      const scores = `fused ${fused}, image only ${image}, audio only ${audio}`;
      expect(fused, scores).toBeGreaterThan(Math.max(image, audio) + MARGIN);

      const code = await runCli(['eval', path.join(out, 'fused'), '--manifest', path.join(out, 'data', 'unseen-voices.jsonl'), '--output', path.join(out, 'unseen.json')], io);
      expect(code).toBe(0);
      const unseen = JSON.parse(await fs.readFile(path.join(out, 'unseen.json'), 'utf8'));
      expect(unseen.count).toBe(200);
      expect(unseen.metrics.accuracy, `${scores}, fused on the unseen voices ${unseen.metrics.accuracy}`).toBeGreaterThan(image + UNSEEN_MARGIN);
    },
    600_000,
  );
});
