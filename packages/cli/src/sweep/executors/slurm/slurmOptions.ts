import { ConfigError, validateConfig, type ConfigSchema } from '@polyfuse/core';

/** The sweep file's `slurm:` section: what each array task asks of Slurm. */
export interface SlurmOptions {
  partition?: string;
  account?: string;
  cpusPerTask: number;
  memory?: string;
  time?: string;
  maxParallel?: number;
  extra: string[];
  setup: string[];
}

/**
 * Schema of the sweep file's `slurm:` section (checked like a component's
 * config, so messages name `slurm.<field>`). Each field becomes one
 * `#SBATCH` line of the array script; see docs/scaling.md.
 */
export const slurmOptionsSchema: ConfigSchema = {
  partition: { type: 'string', description: "partition (queue) to submit to (sbatch --partition); default: the cluster's default partition" },
  account: { type: 'string', description: 'account to charge (sbatch --account)' },
  cpusPerTask: {
    type: 'integer',
    min: 1,
    default: 1,
    description: 'CPUs per run (sbatch --cpus-per-task); with training.replicas: n, ask for n CPUs (wasm computes on one core per replica)',
  },
  memory: { type: 'string', description: "memory per run, a number with an optional K, M, G or T suffix (sbatch --mem), e.g. '4G'" },
  time: { type: 'string', description: "time limit per run (sbatch --time): minutes, 'HH:MM:SS' or 'D-HH:MM:SS', e.g. '02:00:00'" },
  maxParallel: { type: 'integer', min: 1, description: 'at most this many runs at once (the %N throttle of --array); default: as many as Slurm schedules' },
  extra: { type: 'string[]', default: [], description: "further sbatch options, one per entry, written as '#SBATCH <entry>' (e.g. '--gres=gpu:1', '--qos=short')" },
  setup: {
    type: 'string[]',
    default: [],
    description: "shell lines run before polyfuse in each task (e.g. 'module load nodejs/20', 'source ~/venv/bin/activate')",
  },
};

const memoryPattern = /^\d+[KMGT]?$/i;
// minutes | MM:SS | HH:MM:SS | D-HH | D-HH:MM | D-HH:MM:SS
const timePattern = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+(:\d{1,2}(:\d{1,2})?)?)$/;

/**
 * Checks a sweep file's `slurm:` section (absent: every default) and returns
 * it with defaults filled in. Values sbatch would reject later, on the
 * cluster, are refused here with the field and the expected form.
 */
export function validateSlurmOptions(section: unknown, path = 'slurm'): SlurmOptions {
  const options = validateConfig<Record<string, unknown>>(slurmOptionsSchema, (section ?? {}) as Record<string, unknown>, path) as unknown as SlurmOptions;
  if (options.memory !== undefined && !memoryPattern.test(options.memory)) {
    throw new ConfigError(`${path}.memory must be a number with an optional K, M, G or T suffix (e.g. '4G' or '4096'), got ${JSON.stringify(options.memory)}.`);
  }
  if (options.time !== undefined && !timePattern.test(options.time)) {
    throw new ConfigError(`${path}.time must be minutes, 'HH:MM:SS' or 'D-HH:MM:SS' (e.g. '02:00:00'), got ${JSON.stringify(options.time)}.`);
  }
  for (const [field, value] of [['partition', options.partition], ['account', options.account]] as const) {
    if (value !== undefined && !/^[\w.,-]+$/.test(value)) {
      throw new ConfigError(`${path}.${field} must be a Slurm name (letters, digits, '_', '-', '.', ','), got ${JSON.stringify(value)}.`);
    }
  }
  options.extra.forEach((line, i) => {
    if (!/^--?[A-Za-z]/.test(line) || /[\r\n]/.test(line)) {
      throw new ConfigError(`${path}.extra[${i}] must be one sbatch option starting with '-' or '--' (e.g. '--gres=gpu:1'), got ${JSON.stringify(line)}.`);
    }
  });
  options.setup.forEach((line, i) => {
    if (/[\r\n]/.test(line)) throw new ConfigError(`${path}.setup[${i}] must be one shell line (write one entry per line), got ${JSON.stringify(line)}.`);
  });
  return options;
}
