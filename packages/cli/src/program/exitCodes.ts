/**
 * Exit codes of the `polyfuse` command:
 * 0 success; 1 a runtime failure (bad or missing data file, corrupt model,
 * training diverged, a file or folder that cannot be written); 2 bad usage
 * or config (unknown option, invalid config field, unknown registry name, a
 * `--resume` whose config differs from the run's); 130 stopped by Ctrl-C
 * (SIGINT) and 143 stopped by SIGTERM, after saving a checkpoint (the shell
 * convention 128 + the signal number).
 */
export const exitCodes = { ok: 0, failure: 1, usage: 2, interrupted: 130, terminated: 143 } as const;
