import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBuiltinDataset } from '../../../../fixtures/builtinDataset.js';

// End to end on a real Slurm: `polyfuse sweep --executor slurm` submits 4 tiny trainings as a job array
// to a one-node cluster on this machine (scripts/slurm/start-cluster.sh), and the runs must match the
// local executor's. Needs root and the Debian packages slurm-wlm and munge; without them it skips and
// says why, except on CI (CI set) or with POLYFUSE_REQUIRE_SLURM=1, where it fails.

const repo = fileURLToPath(new URL('../../../../../../', import.meta.url));
const bin = path.join(repo, 'packages/cli/bin/polyfuse.js');
const clusterDir = process.env.POLYFUSE_SLURM_DIR ?? '/var/tmp/polyfuse-slurm';
const slurmConf = path.join(clusterDir, 'slurm.conf');
const required = !!process.env.CI || process.env.POLYFUSE_REQUIRE_SLURM === '1';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program with a time limit (never hangs the suite); resolves with its exit code and output. */
function run(program: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(program, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : error.killed ? 124 : 127) : 0;
      resolve({ code, stdout, stderr: error && !stderr ? String(error.message) : stderr });
    });
  });
}

const slurmEnv = { ...process.env, SLURM_CONF: slurmConf };

/** Whether a cluster answers, and whether this test has to start (and so stop) it; or why it cannot run. */
async function prepareCluster(): Promise<{ started: boolean } | { skip: string }> {
  // A node that is idle or running jobs: a cluster answers already (ours from an earlier start, or the user's).
  if (/^(idle|mix|alloc)/.test((await run('sinfo', ['-h', '-o', '%t'], { env: slurmEnv, timeoutMs: 15_000 })).stdout.trim())) return { started: false };
  if (process.getuid?.() !== 0) return { skip: 'not root: start-cluster.sh runs munged and slurmd as root (run the test as root, or start the cluster with sudo first)' };
  const started = await run('bash', [path.join(repo, 'scripts/slurm/start-cluster.sh')], { timeoutMs: 120_000 });
  if (started.code === 2) return { skip: started.stderr.trim() };
  if (started.code !== 0) {
    // Leave nothing behind: stop whichever daemons did start.
    await run('bash', [path.join(repo, 'scripts/slurm/stop-cluster.sh')], { timeoutMs: 60_000 });
    throw new Error(`scripts/slurm/start-cluster.sh failed (exit ${started.code}):\n${started.stderr}`);
  }
  return { started: true };
}

const cluster = await prepareCluster();
if ('skip' in cluster) {
  if (required) throw new Error(`The Slurm sweep test must run here (CI or POLYFUSE_REQUIRE_SLURM=1), but: ${cluster.skip}`);
  console.warn(`Skipping the Slurm sweep test: ${cluster.skip}`);
}

describe.skipIf('skip' in cluster)('polyfuse sweep on a one-node Slurm cluster', () => {
  let dir: string;
  const jobIds: string[] = [];

  const polyfuse = (...args: string[]): Promise<Ran> => run(process.execPath, [bin, ...args], { cwd: dir, env: slurmEnv, timeoutMs: 300_000 });
  const sweepFile = (out: string, executor: string, extra = ''): string =>
    ['base: config.json', 'grid:', '  training.seed: [1, 2, 3, 4]', `out: ${out}`, `executor: ${executor}`, extra].join('\n');
  const evaluation = async (out: string, id: string): Promise<unknown> => JSON.parse(await fs.readFile(path.join(dir, out, 'runs', id, 'evaluation.json'), 'utf8'));
  const runIdsOf = async (out: string): Promise<string[]> => (await fs.readdir(path.join(dir, out, 'runs'))).sort();

  /** Polls `polyfuse sweep status --json` until every run is done (or nothing is left in Slurm's queue). */
  async function waitForSweep(file: string, runs: number, timeoutMs = 300_000): Promise<{ index: number; state: string; scheduler?: { state: string } }[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await polyfuse('sweep', 'status', file, '--json');
      expect(status.code, status.stderr).toBe(0);
      const states = JSON.parse(status.stdout).runs as { index: number; state: string; scheduler?: { state: string } }[];
      // %F: the array's job id, for every task still pending or running.
      const queue = await run('squeue', ['--me', '-h', '--array', '-o', '%F'], { env: slurmEnv, timeoutMs: 15_000 });
      const queued = queue.stdout.split('\n').filter((id) => jobIds.includes(id.trim()));
      if (states.filter((s) => s.state === 'done').length === runs) return states;
      if (queued.length === 0) {
        // The queue emptied after the status was read: a task may have finished in between, so read it again.
        const final = await polyfuse('sweep', 'status', file, '--json');
        expect(final.code, final.stderr).toBe(0);
        return JSON.parse(final.stdout).runs as { index: number; state: string; scheduler?: { state: string } }[];
      }
      if (Date.now() > deadline) throw new Error(`The sweep did not finish in ${timeoutMs / 1000}s: ${status.stdout}\nsqueue: ${queue.stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  /** Waits until Slurm no longer lists these jobs as pending or running (sbatch --wait polls too slowly for a test). */
  async function waitForJobs(ids: string[], timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const queue = await run('squeue', ['--me', '-h', '--array', '-o', '%F'], { env: slurmEnv, timeoutMs: 15_000 });
      if (!queue.stdout.split('\n').some((id) => ids.includes(id.trim()))) return;
      if (Date.now() > deadline) throw new Error(`Slurm jobs ${ids.join(', ')} still queued after ${timeoutMs / 1000}s: ${queue.stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-slurm-sweep-'));
    await writeBuiltinDataset(dir, { count: 24, config: { training: { epochs: 1, batchSize: 8, seed: 1 } } });
    // maxParallel 2: runs 2 and 3 wait in the queue while 0 and 1 train, so one of them can be cancelled before it starts.
    await fs.writeFile(path.join(dir, 'slurm.yaml'), sweepFile('out-slurm', 'slurm', 'slurm:\n  cpusPerTask: 1\n  time: "00:10:00"\n  maxParallel: 2\n'));
    await fs.writeFile(path.join(dir, 'local.yaml'), sweepFile('out-local', 'local'));
  });

  afterAll(async () => {
    if (jobIds.length > 0) await run('scancel', jobIds, { env: slurmEnv, timeoutMs: 30_000 });
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if ('started' in cluster && cluster.started) {
      const stopped = await run('bash', [path.join(repo, 'scripts/slurm/stop-cluster.sh')], { timeoutMs: 60_000 });
      expect(stopped.code, stopped.stderr).toBe(0);
    }
  });

  it('runs a sweep as a job array, resumes only the cancelled run, and matches the local executor', async () => {
    const submitted = await polyfuse('sweep', 'slurm.yaml');
    expect(submitted.code, submitted.stderr).toBe(0);
    const jobs = JSON.parse(await fs.readFile(path.join(dir, 'out-slurm/slurm/job.json'), 'utf8')).jobs as { jobId: string; indices: number[] }[];
    expect(jobs).toHaveLength(1);
    jobIds.push(jobs[0]!.jobId);
    expect(jobs[0]!.indices).toEqual([0, 1, 2, 3]);
    // Cancel run 3 while it waits behind the %2 throttle: the array's other runs go on.
    const cancelled = await run('scancel', [`${jobs[0]!.jobId}_3`], { env: slurmEnv, timeoutMs: 30_000 });
    expect(cancelled.code, cancelled.stderr).toBe(0);

    const script = await fs.readFile(path.join(dir, 'out-slurm/slurm/sweep.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --array=0-3%2');
    expect(script).toMatch(/exec .*polyfuse\.js sweep run .*slurm\.yaml --index "\$SLURM_ARRAY_TASK_ID"/);

    const first = await waitForSweep('slurm.yaml', 3);
    expect(first.map((s) => s.state)).toEqual(['done', 'done', 'done', 'missing']);
    // Run 3 never started: no folder yet.
    const ids = await runIdsOf('out-slurm');
    expect(ids).toHaveLength(3);
    const logs = (await fs.readdir(path.join(dir, 'out-slurm/slurm'))).filter((f) => f.endsWith('.out')).sort();
    expect(logs).toEqual([0, 1, 2].map((i) => `${jobs[0]!.jobId}_${i}.out`));
    const finishedFirst = await Promise.all([0, 1, 2].map(async (i) => (await fs.stat(path.join(dir, 'out-slurm/runs', ids[i]!, 'evaluation.json'))).mtimeMs));

    const resumed = await polyfuse('sweep', 'slurm.yaml', '--resume');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/Resuming 1 of 4 runs/);
    const afterResume = JSON.parse(await fs.readFile(path.join(dir, 'out-slurm/slurm/job.json'), 'utf8')).jobs as { jobId: string; indices: number[] }[];
    expect(afterResume).toHaveLength(2);
    expect(afterResume[1]!.indices).toEqual([3]);
    jobIds.push(afterResume[1]!.jobId);
    expect(await fs.readFile(path.join(dir, 'out-slurm/slurm/sweep.sbatch'), 'utf8')).toContain('#SBATCH --array=3%2');

    const second = await waitForSweep('slurm.yaml', 4);
    expect(second.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    // Only run 3 ran again: the others' results were not touched.
    const finishedAfter = await Promise.all([0, 1, 2].map(async (i) => (await fs.stat(path.join(dir, 'out-slurm/runs', ids[i]!, 'evaluation.json'))).mtimeMs));
    expect(finishedAfter).toEqual(finishedFirst);
    ids.push(...(await runIdsOf('out-slurm')).filter((id) => !ids.includes(id)));
    expect(ids).toHaveLength(4);
    const statusOfResumed = JSON.parse(await fs.readFile(path.join(dir, 'out-slurm/runs', ids[3]!, 'sweep-status.json'), 'utf8'));
    expect(statusOfResumed).toMatchObject({ index: 3, state: 'done', exitCode: 0 });

    // The same sweep on the local executor gives the same runs and the same metrics.
    const local = await polyfuse('sweep', 'local.yaml');
    expect(local.code, local.stderr).toBe(0);
    expect(await runIdsOf('out-local')).toEqual(ids);
    for (const id of ids) expect(await evaluation('out-slurm', id)).toEqual(await evaluation('out-local', id));
  }, 600_000);

  it("fails with sbatch's own message when Slurm refuses the job", async () => {
    await fs.writeFile(path.join(dir, 'nosuch.yaml'), sweepFile('out-nosuch', 'slurm', 'slurm:\n  partition: nosuch\n'));
    const refused = await polyfuse('sweep', 'nosuch.yaml');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/sbatch --parsable .*sweep\.sbatch failed \(exit code 1\): sbatch: error: invalid partition specified: nosuch/);
  });

  it('fans a prediction out over a job array of shards and merges it after them (the script of docs/scaling.md)', async () => {
    const trained = await polyfuse('train', '--config', 'config.json', '--out', 'run', '--no-report', '--quiet');
    expect(trained.code, trained.stderr).toBe(0);
    const whole = await polyfuse('predict', 'run', '--manifest', 'manifest.jsonl', '--output', 'whole.csv');
    expect(whole.code, whole.stderr).toBe(0);
    const polyfuseWords = `${process.execPath} ${bin}`;
    await fs.writeFile(
      path.join(dir, 'predict.sbatch'),
      [
        '#!/bin/bash',
        '#SBATCH --array=0-2',
        '#SBATCH --output=predict_%a.out',
        `${polyfuseWords} predict run --manifest manifest.jsonl --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" --output preds/predictions.csv`,
        '',
      ].join('\n'),
    );
    const shards = await run('sbatch', ['--parsable', 'predict.sbatch'], { cwd: dir, env: slurmEnv });
    expect(shards.code, shards.stderr).toBe(0);
    const shardJob = shards.stdout.trim();
    jobIds.push(shardJob);
    // The merge waits for every shard (afterok).
    const merge = await run('sbatch', ['--parsable', `--dependency=afterok:${shardJob}`, '--output=merge.out', '--wrap', `${polyfuseWords} predict --merge preds/predictions.csv`], { cwd: dir, env: slurmEnv });
    expect(merge.code, merge.stderr).toBe(0);
    jobIds.push(merge.stdout.trim());
    await waitForJobs([shardJob, merge.stdout.trim()]);
    expect(await fs.readFile(path.join(dir, 'merge.out'), 'utf8')).toMatch(/Merged 3 shard\(s\), 24 prediction\(s\)/);
    expect((await fs.readdir(path.join(dir, 'preds'))).sort()).toEqual(['predictions.csv', ...[0, 1, 2].map((i) => `predictions.shard-${i}-of-3.csv`)]);
    expect(await fs.readFile(path.join(dir, 'preds/predictions.csv'), 'utf8')).toBe(await fs.readFile(path.join(dir, 'whole.csv'), 'utf8'));
  }, 300_000);

  it('runs a predict sweep (kind: predict) as a job array of shards, and sweep report merges them into the unsharded bytes', async () => {
    // The run and whole.csv of the test above.
    await fs.writeFile(
      path.join(dir, 'predict-sweep.yaml'),
      ['kind: predict', 'predict: { run: run, manifest: manifest.jsonl, shards: 3, output: predictions.csv }', 'out: out-predict', 'executor: slurm', 'slurm: { cpusPerTask: 1, time: "00:10:00" }', ''].join('\n'),
    );
    const submitted = await polyfuse('sweep', 'predict-sweep.yaml');
    expect(submitted.code, submitted.stderr).toBe(0);
    expect(submitted.stdout).toContain('Merge the shards once they are done with: polyfuse sweep report predict-sweep.yaml');
    const jobs = JSON.parse(await fs.readFile(path.join(dir, 'out-predict/slurm/job.json'), 'utf8')).jobs as { jobId: string; indices: number[] }[];
    jobIds.push(jobs[0]!.jobId);
    expect(jobs[0]!.indices).toEqual([0, 1, 2]);
    expect(await fs.readFile(path.join(dir, 'out-predict/slurm/sweep.sbatch'), 'utf8')).toContain('# Each array task predicts one shard');
    await waitForJobs([jobs[0]!.jobId]);
    const report = await polyfuse('sweep', 'report', 'predict-sweep.yaml');
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('3 of 3 shards done: 24 predictions, 0 lines skipped');
    expect(report.stderr).toMatch(/Merged 3 shard\(s\), 24 prediction\(s\), into out-predict\/predictions\.csv/);
    expect(await fs.readFile(path.join(dir, 'out-predict/predictions.csv'), 'utf8')).toBe(await fs.readFile(path.join(dir, 'whole.csv'), 'utf8'));
  }, 300_000);
});
