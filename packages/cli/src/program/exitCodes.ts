/**
 * Exit codes of the `polyfuse` command:
 * 0 success; 1 a runtime failure (bad or missing data file, corrupt model,
 * training diverged); 2 bad usage or config (unknown option, invalid config
 * field, unknown registry name); 130 stopped by Ctrl-C after saving a
 * checkpoint (the shell convention 128 + SIGINT).
 */
export const exitCodes = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;
