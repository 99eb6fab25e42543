import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBuiltinDataset } from '../../../fixtures/builtinDataset.js';
import { runPolyfuse } from '../../../fixtures/runInProcess.js';
import { runBuiltPolyfuse } from '../../../fixtures/runBuilt.js';
import type { RunStatus } from '../status/runStatus.js';

// A predict sweep through the built `polyfuse` binary (`pnpm build` first), as a user runs it: the local
// executor starts one child process per shard, then merges the shard files.
const polyfuse = (cwd: string, args: string[]): ReturnType<typeof runBuiltPolyfuse> => runBuiltPolyfuse(cwd, args, 120_000);

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await fs.readFile(file, 'utf8')) as T;

describe('a predict sweep (kind: predict) on the local executor', () => {
  let dir: string;
  const out = (): string => path.join(dir, 'runs', 'sweeps', 'predict-all');
  const ids = ['0000-shard=0-of-3', '0001-shard=1-of-3', '0002-shard=2-of-3'];
  const statuses = (): Promise<RunStatus[]> => Promise.all(ids.map((id) => readJson<RunStatus>(path.join(out(), 'runs', id, 'sweep-status.json'))));
  const sweepYaml = (predict: string[], extra: string[] = []): string =>
    ['name: predict-all', 'kind: predict', 'predict:', ...predict.map((line) => `  ${line}`), ...extra, ''].join('\n');

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-predict-sweep-'));
    // 25 samples and a line that is not JSON (the last shard skips it).
    await writeBuiltinDataset(path.join(dir, 'data'), { count: 25, extraLines: ['{ not json'] });
    const trained = await runPolyfuse(dir, 'train', '--config', 'data/config.json', '--out', 'runs/fused', '--no-report', '--quiet');
    expect(trained.code, trained.stderr).toBe(0);
    const whole = await runPolyfuse(dir, 'predict', 'runs/fused', '--manifest', 'data/manifest.jsonl', '--output', 'whole.json');
    expect(whole.code, whole.stderr).toBe(0);
    await fs.writeFile(path.join(dir, 'predict.yaml'), sweepYaml(['run: runs/fused', 'manifest: data/manifest.jsonl', 'shards: 3', 'output: predictions.json'], ['parallel: 2']));
  }, 120_000);
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('runs 3 shards 2 at once and merges them into the bytes of the unsharded polyfuse predict', async () => {
    const dryRun = await runPolyfuse(dir, 'sweep', 'predict.yaml', '--dry-run');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toMatch(/^Sweep predict-all: 3 shard run\(s\) on local/);
    expect(dryRun.stdout).toContain('0001-shard=1-of-3  --shard 1/3 -> predictions.shard-1-of-3.json');

    const result = polyfuse(dir, ['sweep', 'predict.yaml']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/3 run\(s\), 2 at once/);
    expect(result.stderr).toMatch(/All 3 run\(s\) done\. Merged 3 shard\(s\), 25 prediction\(s\), into runs\/sweeps\/predict-all\/predictions\.json/);
    const whole = await fs.readFile(path.join(dir, 'whole.json'), 'utf8');
    expect(await fs.readFile(path.join(out(), 'predictions.json'), 'utf8')).toBe(whole);
    // Each shard's status counts what it wrote and skipped: 26 lines in blocks of 8, 9, 9; the bad last line in shard 2.
    expect((await statuses()).map((s) => [s.state, s.predictions, s.skipped])).toEqual([['done', 8, 0], ['done', 9, 0], ['done', 8, 1]]);
    expect((await readJson<{ kind: string }>(path.join(out(), 'sweep.json'))).kind).toBe('predict');

    const report = await runPolyfuse(dir, 'sweep', 'report', 'predict.yaml');
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('3 of 3 shards done: 25 predictions, 1 lines skipped');
    expect(report.stdout).toMatch(/\| 2 \| 0002-shard=2-of-3 \| 2\/3 \| done \| 8 \| 1 \| \d+\.\d s \|/);
  }, 150_000);

  it('a deleted shard file: status says missing, report names it and does not merge, --resume runs only that shard', async () => {
    const before = await statuses();
    await fs.rm(path.join(out(), 'predictions.shard-1-of-3.json'));
    await fs.rm(path.join(out(), 'predictions.json'));
    const status = await runPolyfuse(dir, 'sweep', 'status', 'predict.yaml');
    expect(status.stdout).toMatch(/2 done, 1 missing/);
    const report = await runPolyfuse(dir, 'sweep', 'report', 'predict.yaml');
    expect(report.code).toBe(1);
    expect(report.stderr).toMatch(/Not merged into .*predictions\.json: 1 shard\(s\) not done: 0001-shard=1-of-3 \(missing\)\. Run the missing and failed ones with: polyfuse sweep predict\.yaml --resume/);
    expect(existsSync(path.join(out(), 'predictions.json'))).toBe(false);

    const resumed = polyfuse(dir, ['sweep', 'predict.yaml', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/Resuming 1 of 3 runs: 0001-shard=1-of-3\n/);
    const after = await statuses();
    expect(after.map((s) => s.state)).toEqual(['done', 'done', 'done']);
    expect([after[0]!.startedAt, after[2]!.startedAt]).toEqual([before[0]!.startedAt, before[2]!.startedAt]);
    expect(after[1]!.startedAt > before[1]!.startedAt).toBe(true);
    expect(await fs.readFile(path.join(out(), 'predictions.json'), 'utf8')).toBe(await fs.readFile(path.join(dir, 'whole.json'), 'utf8'));
    expect(polyfuse(dir, ['sweep', 'predict.yaml', '--resume']).stderr).toMatch(/Nothing to resume: 3 done\.\nMerged 3 shard\(s\), 25 prediction\(s\)/);
  }, 150_000);

  it('refuses bad predict sweeps before any run, saying what is wrong and what is expected', async () => {
    const refused = async (name: string, text: string): Promise<string> => {
      await fs.writeFile(path.join(dir, name), text);
      const result = await runPolyfuse(dir, 'sweep', name, '--dry-run');
      expect(result.code, result.stderr).toBe(2);
      return result.stderr;
    };
    const good = ['run: runs/fused', 'manifest: data/manifest.jsonl', 'output: p.csv'];
    expect(await refused('grid.yaml', sweepYaml([...good, 'shards: 2'], ['grid: { training.seed: [1, 2] }', 'folds: 3']))).toMatch(
      /sweep\.grid, sweep\.folds are not allowed with kind: predict: a predict sweep's runs are the shards of predict\.shards/,
    );
    expect(await refused('zero.yaml', sweepYaml([...good, 'shards: 0']))).toMatch(/sweep\.predict\.shards must be an integer >= 1, got 0\./);
    expect(await refused('half.yaml', sweepYaml([...good, 'shards: 1.5']))).toMatch(/sweep\.predict\.shards must be an integer >= 1, got 1\.5\./);
    expect(await refused('noshards.yaml', sweepYaml(good))).toMatch(/sweep\.predict\.shards is required \(an integer >= 1\)/);
    expect(await refused('typo.yaml', sweepYaml([...good, 'shards: 2', 'beams: 2']))).toMatch(/sweep\.predict\.beams is not a known option\. Known options: run, manifest, shards, output, format, batchSize, beam, query, top\./);
    expect(await refused('norun.yaml', sweepYaml(['run: runs/nothing', 'manifest: data/manifest.jsonl', 'shards: 2', 'output: p.json']))).toMatch(
      /predict\.run: .*runs\/nothing is not a folder; give a run folder written by polyfuse train/,
    );
    expect(await refused('nomanifest.yaml', sweepYaml(['run: runs/fused', 'manifest: data/huge.jsonl', 'shards: 2', 'output: p.json']))).toMatch(
      /predict\.manifest: .*data\/huge\.jsonl does not exist or is not a file/,
    );
    expect(await refused('jsonl.yaml', sweepYaml(['run: runs/fused', 'manifest: data/manifest.jsonl', 'shards: 2', 'output: p.jsonl']))).toMatch(
      /sweep\.predict\.output must end in \.json .* or \.csv, .*got "p\.jsonl"/,
    );
    expect(await refused('nokind.yaml', ['predict: { run: runs/fused, manifest: data/manifest.jsonl, shards: 2, output: p.json }', ''].join('\n'))).toMatch(
      /sweep\.predict is only read by prediction sweeps: add kind: predict/,
    );
    expect(await refused('badkind.yaml', 'kind: infer\n')).toMatch(/sweep\.kind must be one of "train", "predict", got "infer"/);
  });
});
