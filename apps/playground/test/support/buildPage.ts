import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const appDir = fileURLToPath(new URL('../../', import.meta.url));
export const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));

let built: Promise<void> | undefined;

/**
 * Builds the playground with Vite into `dist/` once per test process (the
 * build takes a few seconds; every browser test serves the same build). A
 * child process, so a hung build is killed by its timeout.
 */
export function buildPage(): Promise<void> {
  built ??= new Promise((resolve, reject) => {
    const vite = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));
    const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: appDir, encoding: 'utf8', timeout: 180_000 });
    if (result.status === 0) resolve();
    else reject(new Error(`vite build failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`));
  });
  return built;
}
