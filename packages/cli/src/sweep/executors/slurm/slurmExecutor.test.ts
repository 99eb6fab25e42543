import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { SweepPlan } from '../../sweepPlan.js';
import { submitSlurmSweep } from './slurmExecutor.js';

// What submitSlurmSweep does before and without a cluster; slurmSweep.test.ts submits to a real one.

const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await fs.rm(folder, { recursive: true, force: true });
});

async function planIn(slurm?: Record<string, unknown>): Promise<SweepPlan> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-slurm-executor-'));
  folders.push(dir);
  const outDir = path.join(dir, 'out');
  return {
    name: 'seeds',
    sweepFile: path.join(dir, 'seeds.yaml'),
    outDir,
    runs: [0, 1, 2].map((index) => ({ index, id: `000${index}`, overrides: { 'training.seed': index }, outDir: path.join(outDir, 'runs', `000${index}`) })),
    executor: 'slurm',
    ...(slurm ? { slurm } : {}),
  };
}

const io = (cwd: string) => ({ stdout: new PassThrough(), stderr: new PassThrough(), cwd });
const savedPath = process.env.PATH;

describe('submitSlurmSweep', () => {
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('says what to do when sbatch is not on PATH, after writing the script it would submit', async () => {
    const plan = await planIn({ cpusPerTask: 2 });
    process.env.PATH = path.join(os.tmpdir(), 'no-slurm-here');
    await expect(submitSlurmSweep({ plan, indices: [0, 2], polyfuseCommand: ['node', 'polyfuse.js'], io: io(path.dirname(plan.sweepFile)) })).rejects.toThrow(
      'sbatch is not on PATH: the slurm executor needs the Slurm client commands (sbatch, squeue, sacct). Run polyfuse on a Slurm login node, or use --executor local.',
    );
    const script = await fs.readFile(path.join(plan.outDir, 'slurm/sweep.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --array=0,2\n');
    expect(script).toContain('#SBATCH --cpus-per-task=2\n');
    // Nothing was submitted, so there is no job list.
    await expect(fs.access(path.join(plan.outDir, 'slurm/job.json'))).rejects.toThrow();
  });

  it('refuses a bad slurm section or an index the plan does not have before writing anything', async () => {
    const bad = await planIn({ memory: 'lots' });
    await expect(submitSlurmSweep({ plan: bad, indices: [0], polyfuseCommand: ['polyfuse'], io: io(os.tmpdir()) })).rejects.toThrow(/slurm\.memory must be a number with an optional K, M, G or T suffix/);
    const plan = await planIn();
    await expect(submitSlurmSweep({ plan, indices: [1, 3], polyfuseCommand: ['polyfuse'], io: io(os.tmpdir()) })).rejects.toThrow("the sweep 'seeds' has no run with index 3 (runs are 0-2)");
    await expect(submitSlurmSweep({ plan, indices: [], polyfuseCommand: ['polyfuse'], io: io(os.tmpdir()) })).rejects.toThrow(/no runs to submit/);
    await expect(fs.access(path.join(plan.outDir, 'slurm'))).rejects.toThrow();
  });
});
