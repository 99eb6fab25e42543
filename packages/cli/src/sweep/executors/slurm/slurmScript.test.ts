import { describe, expect, it } from 'vitest';
import type { SweepPlan } from '../../sweepPlan.js';
import { validateSlurmOptions } from './slurmOptions.js';
import { arrayIndexList, shellQuote, slurmArrayScript } from './slurmScript.js';

const plan: SweepPlan = {
  name: 'fusions',
  sweepFile: '/data/sweeps/fusions.yaml',
  outDir: '/data/sweeps/runs/sweeps/fusions',
  runs: Array.from({ length: 6 }, (_, index) => ({ index, id: `000${index}`, overrides: {}, outDir: `/data/sweeps/runs/sweeps/fusions/runs/000${index}` })),
  executor: 'slurm',
};

describe('the Slurm array script', () => {
  it('lists the array indices with consecutive ones as ranges', () => {
    expect(arrayIndexList([0, 1, 2, 3])).toBe('0-3');
    expect(arrayIndexList([5, 0, 2])).toBe('0,2,5');
    expect(arrayIndexList([0, 1, 2, 5, 7, 8, 8])).toBe('0-2,5,7-8');
    expect(arrayIndexList([4])).toBe('4');
  });

  it('asks for what the slurm section says and runs polyfuse sweep run with the array index', () => {
    const options = validateSlurmOptions({ partition: 'cpu', cpusPerTask: 2, memory: '4G', time: '02:00:00', maxParallel: 3, account: 'lab', extra: ['--qos=short'], setup: ['module load nodejs/20'] });
    const script = slurmArrayScript({ plan, indices: [0, 2, 3], options, polyfuseCommand: ['/opt/node/bin/node', '/opt/polyfuse/bin/polyfuse.js'], logDir: `${plan.outDir}/slurm`, workingDir: '/data/sweeps' });
    expect(script.split('\n')).toEqual([
      '#!/bin/bash',
      "# Written by polyfuse sweep for 'fusions': 3 of 6 run(s) of /data/sweeps/fusions.yaml.",
      '# Each array task trains one run: its index is the run index of the sweep plan.',
      '#SBATCH --job-name=polyfuse-fusions',
      '#SBATCH --array=0,2-3%3',
      '#SBATCH --output=/data/sweeps/runs/sweeps/fusions/slurm/%A_%a.out',
      '#SBATCH --chdir=/data/sweeps',
      '#SBATCH --ntasks=1',
      '#SBATCH --cpus-per-task=2',
      '#SBATCH --mem=4G',
      '#SBATCH --time=02:00:00',
      '#SBATCH --partition=cpu',
      '#SBATCH --account=lab',
      '#SBATCH --qos=short',
      '',
      'set -euo pipefail',
      'module load nodejs/20',
      'exec /opt/node/bin/node /opt/polyfuse/bin/polyfuse.js sweep run /data/sweeps/fusions.yaml --index "$SLURM_ARRAY_TASK_ID"',
      '',
    ]);
  });

  it('quotes paths with spaces for bash and for #SBATCH lines', () => {
    expect(shellQuote("/my sweeps/it's.yaml")).toBe(`'/my sweeps/it'\\''s.yaml'`);
    const spaced = { ...plan, sweepFile: '/my sweeps/s.yaml', outDir: '/my sweeps/out' };
    const script = slurmArrayScript({ plan: spaced, indices: [0], options: validateSlurmOptions(undefined), polyfuseCommand: ['node', 'polyfuse.js'], logDir: '/my sweeps/out/slurm', workingDir: '/my sweeps' });
    expect(script).toContain('#SBATCH --output="/my sweeps/out/slurm/%A_%a.out"');
    expect(script).toContain(`exec node polyfuse.js sweep run '/my sweeps/s.yaml' --index "$SLURM_ARRAY_TASK_ID"`);
  });
});

describe('the slurm section of a sweep file', () => {
  it('defaults to one CPU per run and no extra lines', () => {
    expect(validateSlurmOptions(undefined)).toEqual({ cpusPerTask: 1, extra: [], setup: [] });
  });

  it('refuses what sbatch would refuse later, naming the field and the expected form', () => {
    expect(() => validateSlurmOptions({ cpus: 2 })).toThrow(/slurm\.cpus is not a known option\. Known options: partition, account, cpusPerTask/);
    expect(() => validateSlurmOptions({ cpusPerTask: 0 })).toThrow(/slurm\.cpusPerTask must be an integer >= 1, got 0/);
    expect(() => validateSlurmOptions({ memory: '4 GB' })).toThrow(/slurm\.memory must be a number with an optional K, M, G or T suffix .* got "4 GB"/);
    expect(() => validateSlurmOptions({ time: '2h' })).toThrow(/slurm\.time must be minutes, 'HH:MM:SS' or 'D-HH:MM:SS' .* got "2h"/);
    expect(() => validateSlurmOptions({ maxParallel: 0 })).toThrow(/slurm\.maxParallel must be an integer >= 1/);
    expect(() => validateSlurmOptions({ partition: 'a b' })).toThrow(/slurm\.partition must be a Slurm name/);
    expect(() => validateSlurmOptions({ extra: ['gres=gpu:1'] })).toThrow(/slurm\.extra\[0\] must be one sbatch option starting with '-' or '--'/);
    expect(() => validateSlurmOptions({ setup: ['a\nb'] })).toThrow(/slurm\.setup\[0\] must be one shell line/);
    expect(validateSlurmOptions({ time: '1-12:00:00', memory: '512M' })).toMatchObject({ time: '1-12:00:00', memory: '512M' });
  });
});
