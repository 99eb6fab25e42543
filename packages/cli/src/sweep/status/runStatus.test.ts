import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SweepPlan } from '../sweepPlan.js';
import { indicesToResume, readRunStatuses, startingStatus, writeRunStatus } from './runStatus.js';

describe('run statuses: what --resume runs again', () => {
  let dir: string;
  let plan: SweepPlan;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-sweep-status-'));
    const runs = ['a', 'b', 'c', 'd', 'e'].map((id, index) => ({ index, id, overrides: {}, outDir: path.join(dir, id) }));
    plan = { name: 's', sweepFile: path.join(dir, 's.yaml'), outDir: dir, runs, executor: 'local' };
    for (const run of runs) await fs.mkdir(run.outDir);
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('reads done, failed, running (process alive), stale (process gone) and missing', async () => {
    const [a, b, c, d] = plan.runs;
    await writeRunStatus(a!.outDir, { ...startingStatus(0, 'a'), state: 'done', exitCode: 0, finishedAt: new Date().toISOString() });
    await fs.writeFile(path.join(a!.outDir, 'evaluation.json'), '{}');
    await writeRunStatus(b!.outDir, { ...startingStatus(1, 'b'), state: 'failed', exitCode: 1, finishedAt: new Date().toISOString(), error: 'boom' });
    await writeRunStatus(c!.outDir, startingStatus(2, 'c')); // this process: alive
    // A process that has exited: its pid is free (reused pids are unlikely within the test).
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await writeRunStatus(d!.outDir, { ...startingStatus(3, 'd'), pid: Number(exited.stdout) });
    const states = await readRunStatuses(plan);
    expect(states.map((s) => s.state)).toEqual(['done', 'failed', 'running', 'stale', 'missing']);
    expect(indicesToResume(states)).toEqual([1, 3, 4]);
    // done without evaluation.json is not done.
    await fs.rm(path.join(a!.outDir, 'evaluation.json'));
    expect((await readRunStatuses(plan))[0]!.state).toBe('missing');
  });
});
