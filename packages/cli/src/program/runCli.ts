import { CommanderError } from 'commander';
import { createProgram } from './createProgram.js';
import { exitCodes } from './exitCodes.js';
import type { CommandIo } from './commandIo.js';

/**
 * Runs the `polyfuse` command with `argv` (without `node` and the script) and
 * returns its exit code instead of exiting, so it can run in-process (tests,
 * other tools). A PolyfuseError prints as one line, `error: <message>`; other
 * errors print their message with a hint, and the stack trace only with
 * --verbose. A file-system error (disk full, read-only, no permission) that
 * no command explained says what could not be written, where and what to do.
 * ConfigError and usage errors exit 2, everything else 1.
 *
 * Nothing here loads @polyfuse/core (and so TensorFlow.js) until a command
 * needs it: `--help`, `--version` and usage errors start in a fraction of the time.
 */
export async function runCli(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  const result = { code: exitCodes.ok as number };
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const program = createProgram(io, result);
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return exitCodes.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help / version text).
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    // Loaded already by the command that threw (imports are cached), so this costs nothing;
    // undefined when loading them is what failed (say, TensorFlow.js is not installed).
    const core = await import('@polyfuse/core').catch(() => undefined);
    const output = await import('../run/outputFolder.js').catch(() => undefined);
    if (core && error instanceof core.PolyfuseError) {
      io.stderr.write(`error: ${error.message}\n`);
      if (verbose && error.stack) io.stderr.write(`${error.stack}\n`);
      return error instanceof core.ConfigError ? exitCodes.usage : exitCodes.failure;
    }
    if (output && output.isFileSystemError(error) && error.path) {
      // Raw errno text names temporary files and says nothing of what to do.
      io.stderr.write(`error: ${output.writeError(error, 'to', error.path).message}\n`);
      if (verbose && error.stack) io.stderr.write(`${error.stack}\n`);
      return exitCodes.failure;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`error: ${message}\n`);
    if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    else io.stderr.write('(unexpected error; run again with --verbose for the stack trace)\n');
    return exitCodes.failure;
  }
}
