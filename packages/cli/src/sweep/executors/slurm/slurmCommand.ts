import { execFile } from 'node:child_process';
import { PolyfuseError } from '@polyfuse/core';

/** What a Slurm client command printed, when it exited 0. */
export interface SlurmCommandResult {
  stdout: string;
  stderr: string;
}

/** A Slurm client command failed: not installed, no controller, or a refusal (its stderr is in the message). */
export class SlurmCommandError extends PolyfuseError {
  constructor(
    message: string,
    /** The command's stderr, '' when it never ran. */
    readonly stderr: string,
    /** True when the program is not on PATH. */
    readonly notFound = false,
  ) {
    super(message);
  }
}

/**
 * Runs a Slurm client (`sbatch`, `squeue`, `sacct`, `scancel`) with a time
 * limit, so a controller that does not answer cannot hang polyfuse. Throws a
 * SlurmCommandError that names the program and says what to do when it is not
 * on PATH, and quotes its stderr when it fails.
 */
export function runSlurmCommand(program: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<SlurmCommandResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    execFile(program, args, { cwd: options.cwd, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve({ stdout, stderr });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        return reject(
          new SlurmCommandError(
            `${program} is not on PATH: the slurm executor needs the Slurm client commands (sbatch, squeue, sacct). Run polyfuse on a Slurm login node, or use --executor local.`,
            '',
            true,
          ),
        );
      }
      const command = [program, ...args].join(' ');
      if (error.killed) return reject(new SlurmCommandError(`${command} did not answer within ${timeoutMs / 1000}s; is slurmctld reachable (scontrol ping)?`, stderr));
      const said = stderr.trim() || stdout.trim() || error.message;
      reject(new SlurmCommandError(`${command} failed (exit code ${String(error.code)}): ${said}`, stderr));
    });
  });
}
