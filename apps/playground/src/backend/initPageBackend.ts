import { initBackend, type BackendName } from '@polyfuse/core';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import threaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/**
 * Starts the best TensorFlow.js backend the page has: webgl, else wasm, else
 * cpu. The `.wasm` binaries are bundled into the build (`?url` imports), so the
 * page works offline and from any folder. `?backend=wasm` in the page's URL
 * forces one (useful to compare, and for the tests). Returns the backend's name.
 */
export async function initPageBackend(): Promise<BackendName> {
  const requested = new URLSearchParams(location.search).get('backend') ?? 'auto';
  const choice = await initBackend({
    backend: requested as BackendName,
    wasmPaths: { 'tfjs-backend-wasm-simd.wasm': simd, 'tfjs-backend-wasm.wasm': plain, 'tfjs-backend-wasm-threaded-simd.wasm': threaded },
    // The page shows the choice itself; the line also goes to the console, as initBackend does in a page.
    log: (line) => console.info(line),
  });
  return choice.name;
}
