import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

/**
 * Shared test config: `@polyfuse/x` resolves to the package's TypeScript source,
 * so tests never need a build first and always see the current code.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@polyfuse\/([a-z-]+)\/testing$/, replacement: `${packagesDir}$1/src/testing/index.ts` },
      { find: /^@polyfuse\/([a-z-]+)\/node$/, replacement: `${packagesDir}$1/src/node.ts` },
      { find: /^@polyfuse\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/index.ts` },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
