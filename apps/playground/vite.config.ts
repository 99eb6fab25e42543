import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url));

/**
 * `@polyfuse/x` resolves to the package's TypeScript source (as in the tests),
 * so the page never needs `tsc -b` first and always bundles the current code.
 * `base: './'` keeps every URL relative: `dist/` works from any folder or path.
 */
export default defineConfig({
  base: './',
  resolve: {
    alias: [{ find: /^@polyfuse\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/index.ts` }],
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        smoke: fileURLToPath(new URL('./smoke.html', import.meta.url)),
      },
    },
  },
  worker: { format: 'es' },
});
