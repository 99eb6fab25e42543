import type { CommandIo, GlobalOptions } from '../program/commandIo.js';
import { runSweepIndex } from '../sweep/run/runSweepIndex.js';

export interface SweepRunCommandOptions extends GlobalOptions {
  index: number;
}

/**
 * `polyfuse sweep run <sweep.yaml> --index <i>`: trains run i of the sweep
 * into its folder, as every executor does (see runSweepIndex). Exit codes
 * are `polyfuse train`'s; an index outside the plan is a usage error (2).
 */
export async function sweepRunCommand(file: string, options: SweepRunCommandOptions, io: CommandIo): Promise<number> {
  return runSweepIndex(file, options.index, options, io);
}
