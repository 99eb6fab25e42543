import { initBackend } from '@polyfuse/core';
import type { CommandIo, GlobalOptions } from './commandIo.js';

/** Starts the TensorFlow.js backend (`--backend`, else the config's, else auto); the choice is printed with --verbose. */
export async function startBackend(options: GlobalOptions, io: CommandIo, fromConfig?: string): Promise<void> {
  const requested = options.backend ?? (fromConfig && fromConfig !== 'auto' ? fromConfig : undefined);
  await initBackend({ ...(requested ? { backend: requested } : {}), log: options.verbose ? (line) => io.stderr.write(`${line}\n`) : null });
}
