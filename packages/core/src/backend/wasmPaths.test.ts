import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// initBackend runs once per process, so each case starts its own Node with the built package (pnpm build first).
const distIndex = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/index.js');
const wasmDist = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
const served = mkdtempSync(path.join(os.tmpdir(), 'polyfuse-wasm-'));
for (const file of readdirSync(path.join(wasmDist, 'dist')).filter((f) => f.endsWith('.wasm'))) copyFileSync(path.join(wasmDist, 'dist', file), path.join(served, file));
afterAll(() => rmSync(served, { recursive: true, force: true }));

function startWasm(wasmPaths: unknown): string {
  const script = `
    import { initBackend, tf } from ${JSON.stringify(distIndex)};
    try {
      const choice = await initBackend({ backend: 'wasm', wasmPaths: ${JSON.stringify(wasmPaths)}, log: null });
      console.log('ok', choice.name, Array.from(tf.add(tf.tensor([1, 2]), 1).dataSync()).join(','));
    } catch (error) {
      console.log('error', error.message);
    }`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

describe('initBackend({ wasmPaths })', () => {
  it('loads the wasm binaries from the folder given, as a page serving them elsewhere needs', () => {
    expect(startWasm(`${served}/`)).toBe('ok wasm 2,3');
  });

  it('accepts one path per binary (what bundlers such as Vite give for ?url imports)', () => {
    const files = Object.fromEntries(['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) => [f, path.join(served, f)]));
    expect(startWasm(files)).toBe('ok wasm 2,3');
  });

  it('says where it looked when the binaries are not there', () => {
    expect(startWasm('/nowhere/polyfuse-wasm/')).toBe(
      "error Backend 'wasm' could not start: the wasm backend did not start (are the .wasm files served at the wasmPaths given, /nowhere/polyfuse-wasm/?)",
    );
  });

  it('names the option and the known file names for a mistyped map', () => {
    expect(startWasm({ 'tfjs-wasm.wasm': '/x.wasm' })).toBe(
      "error initBackend({ wasmPaths }): unknown file name 'tfjs-wasm.wasm'; the wasm backend loads tfjs-backend-wasm.wasm, tfjs-backend-wasm-simd.wasm, tfjs-backend-wasm-threaded-simd.wasm.",
    );
  });
});
