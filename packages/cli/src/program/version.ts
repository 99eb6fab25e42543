import { createRequire } from 'node:module';

/** The version of @polyfuse/cli, from its package.json (`src/program` and `dist/program` both sit two folders below it). */
export function cliVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
