import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../tf.js';
import { BackendError } from '../errors/errors.js';
import { registerWasmGradientKernels } from './wasm-gradients/index.js';

/** Backends polyfuse can select. `auto` picks the fastest available. */
export const backendNames = ['auto', 'node', 'wasm', 'cpu', 'webgl'] as const;
export type BackendName = (typeof backendNames)[number];

/** Environment variable that overrides the backend choice. */
export const backendEnvVar = 'POLYFUSE_BACKEND';

export interface InitBackendOptions {
  /** Backend to use; defaults to `$POLYFUSE_BACKEND`, then `auto`. */
  backend?: string;
  /** Where the one-line choice is reported; `null` silences it. Defaults to console.error. */
  log?: ((line: string) => void) | null;
  /**
   * Where the wasm backend's `.wasm` binaries are served from, when the page
   * (or bundle) does not serve them beside the script: a URL or folder prefix
   * ending in `/` (`'/wasm/'`), or one URL per file name
   * (`{ 'tfjs-backend-wasm-simd.wasm': simdUrl, ... }`, e.g. from Vite's
   * `?url` imports). See the core README, "In a web page".
   */
  wasmPaths?: string | Partial<Record<WasmBinaryName, string>>;
}

/** The binaries @tensorflow/tfjs-backend-wasm loads, by the name `wasmPaths` maps. */
export type WasmBinaryName = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';

export interface BackendChoice {
  /** polyfuse's name for it. */
  name: Exclude<BackendName, 'auto'>;
  /** TensorFlow.js's name for it (`tensorflow` for tfjs-node). */
  tfName: string;
  /** Why this one, e.g. "tfjs-node is not installed". */
  reason: string;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;
let current: BackendChoice | undefined;
let pending: Promise<BackendChoice> | undefined;

/**
 * Selects and initialises the TensorFlow.js backend once per process:
 * tfjs-node where it can be imported, else wasm (SIMD), else cpu; in a browser,
 * webgl, then wasm, then cpu. `$POLYFUSE_BACKEND` or `options.backend` forces
 * one. On wasm, the gradient kernels it lacks are registered first, so
 * convolutional and embedding models can train. The choice is logged once.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  const envValue = isNode ? process.env[backendEnvVar] : undefined;
  const requested = (options.backend ?? envValue ?? 'auto').trim().toLowerCase();
  if (!(backendNames as readonly string[]).includes(requested)) {
    const source = options.backend !== undefined ? 'initBackend({ backend })' : `$${backendEnvVar}`;
    throw new BackendError(
      `Unknown backend '${requested}' (from ${source}). Expected one of: ${backendNames.join(', ')}.`,
    );
  }
  if (current && (requested === 'auto' || requested === current.name)) return current;
  if (pending && requested === 'auto') return pending;
  if (options.wasmPaths !== undefined) useWasmPaths(options.wasmPaths);
  pending = choose(requested as BackendName).then((choice) => {
    current = choice;
    const log = options.log === undefined ? (line: string) => console.error(line) : options.log;
    log?.(`polyfuse: TensorFlow.js backend '${choice.name}' (${choice.reason})`);
    return choice;
  });
  try {
    return await pending;
  } finally {
    pending = undefined;
  }
}

/** The backend chosen by `initBackend`, if it has run. */
export function currentBackend(): BackendChoice | undefined {
  return current;
}

async function choose(requested: BackendName): Promise<BackendChoice> {
  if (requested !== 'auto') {
    const failure = await tryBackend(requested);
    if (failure) {
      throw new BackendError(`Backend '${requested}' could not start: ${failure}`);
    }
    return { name: requested, tfName: tf.getBackend(), reason: 'requested' };
  }
  const order: Exclude<BackendName, 'auto'>[] = isNode ? ['node', 'wasm', 'cpu'] : ['webgl', 'wasm', 'cpu'];
  const skipped: string[] = [];
  for (const name of order) {
    const failure = await tryBackend(name);
    if (!failure) {
      return { name, tfName: tf.getBackend(), reason: skipped.length ? skipped.join('; ') : 'fastest available' };
    }
    skipped.push(`${name}: ${failure}`);
  }
  throw new BackendError(`No TensorFlow.js backend could start. ${skipped.join('; ')}`);
}

/** Returns undefined on success, else why the backend is unavailable. */
async function tryBackend(name: Exclude<BackendName, 'auto'>): Promise<string | undefined> {
  try {
    switch (name) {
      case 'node': {
        if (!isNode) return 'only available in Node.js';
        const moduleName = '@tensorflow/tfjs-node';
        try {
          await import(/* @vite-ignore */ moduleName);
        } catch (error) {
          return `tfjs-node is not installed or failed to load (${firstLine(error)}); install @tensorflow/tfjs-node for the fastest CPU training`;
        }
        return (await tf.setBackend('tensorflow')) ? undefined : 'tfjs-node loaded but its backend did not start';
      }
      case 'wasm':
        registerWasmGradientKernels();
        return (await tf.setBackend('wasm'))
          ? undefined
          : `the wasm backend did not start${wasmPathsGiven ? ` (are the .wasm files served at the wasmPaths given, ${wasmPathsGiven}?)` : ' (in a web page, serve its .wasm files and pass initBackend({ wasmPaths }))'}`;
      case 'cpu': {
        if (!(await tf.setBackend('cpu'))) return 'the cpu backend did not start';
        // The cpu backend prints an advert for tfjs-node on first use; our own log line says it better.
        (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
        return undefined;
      }
      case 'webgl':
        if (isNode) return 'only available in a browser';
        return (await tf.setBackend('webgl')) ? undefined : 'WebGL is not available';
    }
  } catch (error) {
    return firstLine(error);
  }
}

let wasmPathsGiven: string | undefined;

/** Tells the wasm backend where its binaries are; checked here so a typo fails with the option's name. */
function useWasmPaths(paths: string | Partial<Record<WasmBinaryName, string>>): void {
  const known: WasmBinaryName[] = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
  if (typeof paths === 'string') {
    if (paths === '') throw new BackendError("initBackend({ wasmPaths }) must be a URL or folder prefix such as '/wasm/', or an object of URLs by file name; got ''.");
  } else if (typeof paths !== 'object' || paths === null || Object.keys(paths).length === 0) {
    throw new BackendError(`initBackend({ wasmPaths }) must be a prefix string or an object of URLs by file name (${known.join(', ')}); got ${JSON.stringify(paths)}.`);
  } else {
    const unknown = Object.keys(paths).filter((name) => !(known as string[]).includes(name));
    if (unknown.length > 0) throw new BackendError(`initBackend({ wasmPaths }): unknown file name ${unknown.map((n) => `'${n}'`).join(', ')}; the wasm backend loads ${known.join(', ')}.`);
  }
  setWasmPaths(paths);
  wasmPathsGiven = typeof paths === 'string' ? paths : Object.values(paths).join(', ');
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}
