import { tf } from '../../tf.js';
import { simdKernelsBase64 } from './simdKernelsBinary.js';

/**
 * The functions of polyfuse's compiled WebAssembly SIMD kernels
 * (packages/core/wasm/src/*.c). Every argument that names an array is a byte
 * offset into the wasm backend's heap, which the module imports as its
 * memory, so the kernels read and write tensors where they lie.
 */
export interface SimdKernels {
  max_pool_grad_2x2(x: number, dy: number, dx: number, batch: number, outHeight: number, outWidth: number, channels: number): void;
  gru_forward(
    xp: number, u: number, bh: number, mask: number, h: number, hNext: number, hp: number,
    r: number, z: number, n: number, hn: number, hPrev: number, out: number,
    batch: number, steps: number, units: number, goBackwards: number, returnSequences: number, timeOrder: number,
  ): void;
  gru_backward(
    dy: number, ut: number, mask: number, r: number, z: number, n: number, hn: number, hPrev: number,
    dInput: number, dRecurrent: number, dh: number, dhPrev: number, stepGrad: number,
    batch: number, steps: number, units: number, goBackwards: number, returnSequences: number, timeOrder: number,
  ): void;
  lstm_forward(
    xp: number, u: number, bh: number, mask: number, h0: number, c0: number, h: number, c: number, hp: number,
    gates: number, cPrev: number, tanhC: number, hPrev: number, out: number,
    batch: number, steps: number, units: number, goBackwards: number, returnSequences: number, timeOrder: number,
  ): void;
  lstm_backward(
    dy: number, ut: number, mask: number, gates: number, cPrev: number, tanhC: number,
    dGates: number, dh: number, dc: number, stepGrad: number,
    batch: number, steps: number, units: number, goBackwards: number, returnSequences: number, timeOrder: number, initialState: number,
  ): void;
  conv2d_filter_gradient(
    xp: number, dy: number, dw: number, batch: number, paddedHeight: number, paddedWidth: number, inChannels: number,
    outHeight: number, outWidth: number, outChannels: number, filterHeight: number, filterWidth: number,
    strideHeight: number, strideWidth: number,
  ): void;
  add_bias(x: number, bias: number, out: number, rows: number, channels: number): void;
  relu_grad(x: number, dy: number, dx: number, n: number): void;
  relu_grad_column_sums(y: number, dy: number, dx: number, sums: number, db: number, rows: number, channels: number, relu: number): void;
  matmul_transposed_a(a: number, b: number, out: number, rows: number, inner: number, cols: number): void;
  adam_step(
    p: number, g: number, m: number, v: number, pOut: number, mOut: number, vOut: number, n: number,
    beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, biasCorrection2: number, epsilon: number,
    stepSize: number, decay: number, mode: number,
  ): void;
  conv2d_forward(
    xp: number, w: number, bias: number, y: number, batch: number, paddedHeight: number, paddedWidth: number, inChannels: number,
    outHeight: number, outWidth: number, outChannels: number, filterHeight: number, filterWidth: number,
    strideHeight: number, strideWidth: number, activation: number,
  ): void;
  conv2d_pad(x: number, xp: number, batch: number, height: number, width: number, channels: number, paddedHeight: number, paddedWidth: number, top: number, left: number): void;
  column_sums(data: number, rows: number, cols: number, sums: number, out: number): void;
  batch_norm_forward(x: number, gamma: number, beta: number, y: number, stats: number, rows: number, channels: number, epsilon: number): void;
  batch_norm_backward(x: number, dy: number, gamma: number, dx: number, stats: number, gradGamma: number, gradBeta: number, rows: number, channels: number): void;
}

/** The names `POLYFUSE_WASM_JS_KERNELS` accepts, one per compiled kernel family. */
export const simdKernelNames = ['Conv2D', 'BatchMatMul', 'MaxPoolGrad', 'Conv2DBackpropFilter', 'Sum', 'Add', 'FusedGru', 'FusedLstm', 'BatchNormalization', 'Adam', 'Relu'] as const;
export type SimdKernelName = (typeof simdKernelNames)[number];

/**
 * Environment variable naming compiled kernels to skip (comma-separated
 * names from `simdKernelNames`, or `all`): those run their JavaScript
 * versions instead, so benchmarks and tests can compare the two. Read at each
 * call, so a test can switch it.
 */
export const jsKernelsEnvVar = 'POLYFUSE_WASM_JS_KERNELS';

/** The parts of tfjs-backend-wasm 4.22's Emscripten module that binding to its heap needs. */
interface EmscriptenModule {
  asm?: Record<string, unknown>;
}

let compiled: WebAssembly.Module | undefined;
/** One instance per backend heap (a backend that is disposed and started again has a new heap). */
const instances = new WeakMap<object, SimdKernels | 'pending' | 'unavailable'>();

/**
 * The compiled kernels bound to this wasm backend's heap, or undefined when
 * the JavaScript version must run: the kernel is switched off, the backend
 * is not wasm, the engine lacks WebAssembly SIMD, or (in a browser, where
 * synchronous compilation of a module on the main thread may be refused) the
 * module is still being compiled in the background.
 */
export function simdKernelsFor(backend: unknown, kernel: SimdKernelName): SimdKernels | undefined {
  if (switchedOff(kernel)) return undefined;
  const module = (backend as { wasm?: EmscriptenModule } | undefined)?.wasm;
  if (module === undefined || typeof WebAssembly === 'undefined') return undefined;
  const known = instances.get(module);
  if (known !== undefined) return typeof known === 'string' ? undefined : known;
  const memory = Object.values(module.asm ?? {}).find((value): value is WebAssembly.Memory => value instanceof WebAssembly.Memory);
  // A shared (threaded) heap would need a module built for shared memory.
  if (memory === undefined || (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer)) {
    instances.set(module, 'unavailable');
    return undefined;
  }
  const imports = { env: { memory } };
  try {
    compiled ??= new WebAssembly.Module(simdKernelBytes());
    const kernels = new WebAssembly.Instance(compiled, imports).exports as unknown as SimdKernels;
    instances.set(module, kernels);
    return kernels;
  } catch {
    // Either no SIMD (the module does not validate) or a browser that wants it compiled asynchronously.
    instances.set(module, 'pending');
    WebAssembly.instantiate(simdKernelBytes(), imports).then(
      ({ instance }) => instances.set(module, instance.exports as unknown as SimdKernels),
      () => instances.set(module, 'unavailable'),
    );
    return undefined;
  }
}

/** The wasm backend when it is the current one, for layers (which get no backend argument). */
export function currentWasmBackend(): unknown {
  return tf.getBackend() === 'wasm' ? tf.backend() : undefined;
}

function switchedOff(kernel: SimdKernelName): boolean {
  const value = typeof process !== 'undefined' ? process.env?.[jsKernelsEnvVar] : undefined;
  if (!value) return false;
  const names = value.split(',').map((name) => name.trim());
  return names.includes('all') || names.includes(kernel);
}

function simdKernelBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(simdKernelsBase64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
