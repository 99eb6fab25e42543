import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBuiltinDataset } from '../../fixtures/builtinDataset.js';
import { runPolyfuse } from '../../fixtures/runInProcess.js';
import { polyfuseBin as bin, runBuiltPolyfuse } from '../../fixtures/runBuilt.js';
import type { RunStatus } from './status/runStatus.js';

// The sweep through the built `polyfuse` binary (`pnpm build` first): the local executor starts one child
// process per run, as a user's sweep does.
const polyfuse = (cwd: string, args: string[]): ReturnType<typeof runBuiltPolyfuse> => runBuiltPolyfuse(cwd, args, 90_000);

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await fs.readFile(file, 'utf8')) as T;

describe('polyfuse sweep on the local executor (built binary)', () => {
  let dir: string;
  let sweepFile: string;
  const runsDir = (): string => path.join(dir, 'runs', 'sweeps', 'e2e', 'runs');

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-sweep-e2e-'));
    await writeBuiltinDataset(path.join(dir, 'data'));
    sweepFile = path.join(dir, 'e2e.yaml');
    // Run 3 reads a manifest that does not exist yet: it fails, and --resume runs it once the file is there.
    await fs.writeFile(
      sweepFile,
      [
        'base: data/config.json',
        'parallel: 2',
        'runs:',
        '  - { model.fusion.name: concat, training.seed: 1 }',
        '  - { model.fusion.name: gated, training.seed: 1 }',
        '  - { model.fusion.name: concat, training.seed: 2 }',
        '  - { model.fusion.name: concat, training.seed: 3, data.manifest: later.jsonl }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('runs 4 runs 2 at once; a failing run is marked failed, the others finish, and the command says how to resume', async () => {
    const result = polyfuse(dir, ['sweep', 'e2e.yaml']);
    expect(result.code, result.stderr).toBe(1);
    const listed = (await fs.readdir(runsDir())).sort();
    expect(listed.map((name) => name.slice(0, 4))).toEqual(['0000', '0001', '0002', '0003']);
    const statuses = await Promise.all(listed.map((id) => readJson<RunStatus>(path.join(runsDir(), id, 'sweep-status.json'))));
    expect(statuses.map((s) => s.state)).toEqual(['done', 'done', 'done', 'failed']);
    expect(statuses[3]!.error).toMatch(/later.jsonl does not exist/);
    expect(result.stderr).toMatch(/1 run\(s\) failed: 0003-[^ ]* \(exit 1; log .*sweep.log\)/);
    expect(result.stderr).toContain('polyfuse sweep e2e.yaml --resume');
    for (const id of listed.slice(0, 3)) expect(existsSync(path.join(runsDir(), id, 'evaluation.json'))).toBe(true);
    expect(await fs.readFile(path.join(runsDir(), listed[3]!, 'sweep.log'), 'utf8')).toMatch(/later.jsonl does not exist/);

    const status = polyfuse(dir, ['sweep', 'status', 'e2e.yaml']);
    expect(status.stdout).toMatch(/3 done, 1 failed/);

    const report = polyfuse(dir, ['sweep', 'report', 'e2e.yaml']);
    expect(report.code, report.stderr).toBe(0);
    const markdown = await fs.readFile(path.join(dir, 'runs', 'sweeps', 'e2e', 'report.md'), 'utf8');
    // Only the overrides that vary get a column; the failed run is marked.
    expect(markdown).toMatch(/\| index \| id \| fusion \| seed \| manifest \| state \| accuracy_logits_label \| f1_logits_label \| parameters \| training time \|/);
    expect(markdown).toMatch(/\| 3 \| 0003-[^|]* \| concat \| 3 \| later.jsonl \| \*\*FAILED\*\* \| – \| – \| – \| – \|/);
    expect(markdown).toMatch(/★/);
    const html = await fs.readFile(path.join(dir, 'runs', 'sweeps', 'e2e', 'report.html'), 'utf8');
    expect(html.match(/<svg/g)?.length).toBe(3); // accuracy, f1 and training time
    expect(html).toContain('<tr class="not-done">');

    // Without --resume a started sweep is refused rather than trained over.
    expect(polyfuse(dir, ['sweep', 'e2e.yaml']).stderr).toMatch(/already holds 4 of the 4 runs.*--resume/);
  });

  it('--resume runs only the failed run', async () => {
    const listed = (await fs.readdir(runsDir())).sort();
    const before = await Promise.all(listed.map((id) => readJson<RunStatus>(path.join(runsDir(), id, 'sweep-status.json'))));
    await fs.copyFile(path.join(dir, 'data', 'manifest.jsonl'), path.join(dir, 'data', 'later.jsonl'));
    const result = polyfuse(dir, ['sweep', 'e2e.yaml', '--resume']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Resuming 1 of 4 runs: 0003-/);
    const after = await Promise.all(listed.map((id) => readJson<RunStatus>(path.join(runsDir(), id, 'sweep-status.json'))));
    expect(after.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(after.slice(0, 3).map((s) => s.startedAt)).toEqual(before.slice(0, 3).map((s) => s.startedAt));
    expect(after[3]!.startedAt > before[3]!.startedAt).toBe(true);
    // The log keeps both attempts.
    expect((await fs.readFile(path.join(runsDir(), listed[3]!, 'sweep.log'), 'utf8')).match(/^--- /gm)).toHaveLength(2);
    expect(polyfuse(dir, ['sweep', 'e2e.yaml', '--resume']).stderr).toMatch(/Nothing to resume: 4 done/);
  });

  it('a sweep run gives the metrics of polyfuse train with the same overrides', async () => {
    const config = await readJson<Record<string, any>>(path.join(dir, 'data', 'config.json'));
    config.model.fusion = { name: 'gated' };
    config.training.seed = 1;
    await fs.writeFile(path.join(dir, 'data', 'gated.json'), JSON.stringify(config));
    const trained = await runPolyfuse(dir, 'train', '-c', 'data/gated.json', '-o', 'trained', '--no-report', '--quiet');
    expect(trained.code, trained.stderr).toBe(0);
    const fromTrain = await readJson<{ metrics: Record<string, number> }>(path.join(dir, 'trained', 'evaluation.json'));
    const fromSweep = await readJson<{ metrics: Record<string, number> }>(path.join(runsDir(), '0001-fusion=gated-seed=1', 'evaluation.json'));
    expect(Object.keys(fromSweep.metrics)).toEqual(['accuracy_logits_label', 'f1_logits_label']);
    expect(fromSweep.metrics).toEqual(fromTrain.metrics);
    // The same training, step by step: the last epoch's losses are identical too.
    const lastEpoch = async (runDir: string): Promise<Record<string, number>> => {
      const lines = (await fs.readFile(path.join(runDir, 'logs', 'train.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      const { seconds: _seconds, ...values } = lines.filter((l) => l.type === 'epoch').pop();
      return values;
    };
    expect(await lastEpoch(path.join(runsDir(), '0001-fusion=gated-seed=1'))).toEqual(await lastEpoch(path.join(dir, 'trained')));
  });

  it('Ctrl-C stops the running runs after a checkpoint (exit 130), and --resume continues them', async () => {
    await fs.writeFile(path.join(dir, 'stop.yaml'), ['base: data/config.json', 'parallel: 2', 'set: { training.epochs: 60 }', 'grid: { training.seed: [1, 2] }', ''].join('\n'));
    const logs = ['0000-seed=1', '0001-seed=2'].map((id) => path.join(dir, 'runs', 'sweeps', 'stop', 'runs', id, 'sweep.log'));
    const sweep = spawn(process.execPath, [bin, 'sweep', 'stop.yaml'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    sweep.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => sweep.on('close', resolve));
    // Wait until both runs are training (their second epoch began), then press Ctrl-C on the sweep alone.
    const training = async (log: string): Promise<boolean> => (await fs.readFile(log, 'utf8').catch(() => '')).includes('epoch 2/60');
    for (let waited = 0; !(await training(logs[0]!)) || !(await training(logs[1]!)); waited += 100) {
      if (waited > 60_000) throw new Error(`the runs did not start training: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    sweep.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    for (const log of logs) {
      const status = await readJson<RunStatus>(path.join(path.dirname(log), 'sweep-status.json'));
      expect(status).toMatchObject({ state: 'failed', exitCode: 143 });
      expect(status.error).toMatch(/stopped by SIGTERM after saving a checkpoint/);
      expect(existsSync(path.join(path.dirname(log), 'checkpoints', 'last', 'model.json'))).toBe(true);
    }
    const resumed = polyfuse(dir, ['sweep', 'stop.yaml', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    for (const log of logs) {
      expect(await fs.readFile(log, 'utf8')).toMatch(/continuing from its last checkpoint/);
      expect((await readJson<RunStatus>(path.join(path.dirname(log), 'sweep-status.json'))).state).toBe('done');
    }
  });

  it('polyfuse ensemble combines the members of a bagging sweep on their shared test split', async () => {
    // One split for every member (data.split.seed), different training seeds: bagging by seed.
    await fs.writeFile(path.join(dir, 'bag.yaml'), ['base: data/config.json', 'parallel: 2', 'set: { data.split.seed: 9 }', 'grid: { training.seed: [1, 2, 3] }', ''].join('\n'));
    expect(polyfuse(dir, ['sweep', 'bag.yaml']).code).toBe(0);
    const result = await runPolyfuse(dir, 'ensemble', 'bag.yaml', '--method', 'average');
    expect(result.code, result.stderr).toBe(0);
    const scores = await readJson<{ method: string; testSamples: number; members: { id: string; accuracy: number }[]; ensemble: { accuracy: number } }>(
      path.join(dir, 'runs', 'sweeps', 'bag', 'ensemble-average.json'),
    );
    expect(scores).toMatchObject({ method: 'average', testSamples: 6 });
    // Each member, re-predicted here, scores what its own evaluation.json says.
    for (const m of scores.members) {
      const evaluation = await readJson<{ metrics: Record<string, number> }>(path.join(dir, 'runs', 'sweeps', 'bag', 'runs', m.id, 'evaluation.json'));
      expect(m.accuracy).toBeCloseTo(evaluation.metrics.accuracy_logits_label!, 10);
    }
    expect(result.stdout).toMatch(/Ensemble of 3 runs \(average\) on 6 shared test samples:\n  ensemble +accuracy \d\.\d{4}/);
    const stacked = await runPolyfuse(dir, 'ensemble', 'bag.yaml', '--method', 'stacking');
    expect(stacked.code, stacked.stderr).toBe(0);
    expect(stacked.stdout).toMatch(/stacked on 6 validation samples/);
  });
});
