import { fileURLToPath } from 'node:url';

/**
 * The argv that starts this very `polyfuse` (Node and the package's launcher,
 * `bin/polyfuse.js`), for executors that start `polyfuse sweep run` per run:
 * children run the same version as the command that started them.
 */
export function polyfuseCommand(): string[] {
  return [process.execPath, fileURLToPath(new URL('../../bin/polyfuse.js', import.meta.url))];
}
