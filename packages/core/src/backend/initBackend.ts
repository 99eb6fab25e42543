import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../tf.js';
import { BackendError } from '../errors/errors.js';
import { registerWasmGradientKernels } from './wasm-gradients/index.js';

/** Backends polyfuse can select. `auto` picks the fastest available. */
export const backendNames = ['auto', 'node', 'wasm', 'cpu', 'webgl', 'webgpu'] as const;
export type BackendName = (typeof backendNames)[number];

/** Environment variable that overrides the backend choice. */
export const backendEnvVar = 'POLYFUSE_BACKEND';

export interface InitBackendOptions {
  /** Backend to use; defaults to `$POLYFUSE_BACKEND`, then `auto`. */
  backend?: string;
  /** Where the one-line choice is reported; `null` silences it. Defaults to console.error in Node (stderr), console.info in a page. */
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
  /** The npm package that provides it, where that is one of several: `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` for `node`. */
  package?: string;
}

/**
 * The packages that provide the `node` backend, best first: tfjs-node-gpu
 * (CUDA) where it is installed and loads, else tfjs-node. Both register the
 * backend TensorFlow.js calls `tensorflow`.
 */
export const nodeBackendPackages = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** What initBackend asks of where it runs; tests replace it (`setBackendEnvironment`). */
export interface BackendEnvironment {
  /** True in Node.js (tfjs-node can load, `$POLYFUSE_BACKEND` is read); false in a page or web worker. */
  isNode: boolean;
  /** Imports a package by name (the backend packages), rejecting when it is missing or fails to load. */
  importPackage: (name: string) => Promise<unknown>;
}

const defaultEnvironment: BackendEnvironment = {
  isNode: typeof process !== 'undefined' && !!process.versions?.node,
  importPackage: (name) => import(/* @vite-ignore */ name),
};
let environment = defaultEnvironment;
let current: BackendChoice | undefined;
let pending: Promise<BackendChoice> | undefined;

/**
 * Replaces parts of the environment and forgets the backend chosen so far,
 * so tests can check the selection for a browser, or with tfjs-node-gpu
 * installed, without one. Returns a function that restores the real one.
 * @internal
 */
export function setBackendEnvironment(replacement: Partial<BackendEnvironment>): () => void {
  environment = { ...defaultEnvironment, ...replacement };
  current = undefined;
  return () => {
    environment = defaultEnvironment;
    current = undefined;
  };
}

/**
 * Selects and initialises the TensorFlow.js backend once per process (or
 * page): in Node, tfjs-node-gpu where it is installed and loads, else
 * tfjs-node, else wasm (SIMD), else cpu; in a page or worker, webgpu when the
 * page has imported `@tensorflow/tfjs-backend-webgpu` (polyfuse does not
 * depend on it), else webgl, else wasm, else cpu. `$POLYFUSE_BACKEND` or
 * `options.backend` forces one. On wasm, the gradient kernels it lacks are
 * registered first, so convolutional and embedding models can train. The
 * choice, the package behind it and why the faster ones were skipped are
 * logged once, in one line.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  const { isNode } = environment;
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
    const log = options.log === undefined ? (line: string) => (isNode ? console.error(line) : console.info(line)) : options.log;
    log?.(`polyfuse: TensorFlow.js backend '${choice.name}'${choice.package ? ` from ${choice.package}` : ''} (${choice.reason})`);
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
    const { failure, notes } = await tryBackend(requested);
    if (failure) {
      throw new BackendError(`Backend '${requested}' could not start: ${failure}`);
    }
    return { name: requested, tfName: tf.getBackend(), reason: ['requested', ...notes.skipped].join('; '), ...(notes.package && { package: notes.package }) };
  }
  const order: Exclude<BackendName, 'auto'>[] = environment.isNode ? ['node', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
  const skipped: string[] = [];
  for (const name of order) {
    const { failure, notes } = await tryBackend(name);
    if (!failure) {
      skipped.push(...notes.skipped);
      return { name, tfName: tf.getBackend(), reason: skipped.length ? skipped.join('; ') : 'fastest available', ...(notes.package && { package: notes.package }) };
    }
    skipped.push(`${name}: ${failure}`);
  }
  throw new BackendError(`No TensorFlow.js backend could start. ${skipped.join('; ')}`);
}

/** Whether a backend started (no `failure`), which package gave it, and the better packages passed over on the way. */
interface Attempt {
  failure?: string;
  notes: { package?: string; skipped: string[] };
}

async function tryBackend(name: Exclude<BackendName, 'auto'>): Promise<Attempt> {
  const notes: Attempt['notes'] = { skipped: [] };
  try {
    return { failure: await startBackend(name, notes), notes };
  } catch (error) {
    return { failure: firstLine(error), notes };
  }
}

/** Returns undefined on success, else why the backend is unavailable. */
async function startBackend(name: Exclude<BackendName, 'auto'>, notes: Attempt['notes']): Promise<string | undefined> {
  const { isNode } = environment;
  switch (name) {
    case 'node': {
      if (!isNode) return 'only available in Node.js';
      const missing: string[] = [];
      for (const packageName of nodeBackendPackages) {
        try {
          await environment.importPackage(packageName);
        } catch (error) {
          const reason = isNotInstalled(error, packageName) ? `${packageName} is not installed` : `${packageName} failed to load (${firstLine(error)})`;
          missing.push(reason);
          continue;
        }
        if (!(await tf.setBackend('tensorflow'))) return `${packageName} loaded but its backend did not start`;
        notes.package = packageName;
        // A GPU build that is installed but cannot load (no CUDA) is worth a word in the log line.
        notes.skipped.push(...missing.filter((reason) => !reason.endsWith('is not installed')));
        return undefined;
      }
      const advice = 'install @tensorflow/tfjs-node for the fastest CPU training, or @tensorflow/tfjs-node-gpu on a machine with CUDA';
      const noneInstalled = missing.every((reason) => reason.endsWith('is not installed'));
      return noneInstalled ? `tfjs-node is not installed (nor tfjs-node-gpu); ${advice}` : `${missing.join('; ')}; ${advice}`;
    }
    case 'webgpu':
      if (!tf.findBackendFactory('webgpu')) return "@tensorflow/tfjs-backend-webgpu is not imported (import it before initBackend to use WebGPU)";
      return (await tf.setBackend('webgpu')) ? undefined : 'WebGPU is not available';
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
      // @tensorflow/tfjs's module build (what bundlers take) registers webgl; its Node build does not.
      if (!tf.findBackendFactory('webgl')) return 'not in this build of TensorFlow.js';
      return (await tf.setBackend('webgl')) ? undefined : 'WebGL is not available';
  }
}

/**
 * Whether the package itself is missing, as opposed to installed but failing
 * to load (a native library such as CUDA's, which names a file, not the package).
 * Node says "Cannot find package '<name>'"; Vite-based runners "Could not resolve "<name>"".
 */
function isNotInstalled(error: unknown, packageName: string): boolean {
  const code = (error as { code?: string } | null)?.code;
  const message = firstLine(error);
  const namesPackage = message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`);
  return namesPackage && (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /cannot find|could not resolve|failed to resolve/i.test(message));
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
