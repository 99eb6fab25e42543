import { tf } from '../../tf.js';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter.js';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum.js';
import { depthwiseConv2dBackpropFilterConfig } from './depthwiseConv2dBackpropFilter.js';
import { depthwiseConv2dBackpropInputConfig } from './depthwiseConv2dBackpropInput.js';
import { complexAbsConfig, complexConfig, imagConfig, realConfig } from './complexKernels.js';
import { fftKernelConfig, ifftKernelConfig } from './fftKernels.js';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput.js';
import { batchMatMulConfig, fusedMatMulConfig } from './batchMatMul.js';
import { maxPoolGradConfig } from './maxPoolGrad.js';
import { tileConfig } from './tile.js';
import { transposeConfig } from './transpose.js';
import { gatherV2Config } from './gatherV2.js';
import { sumConfig } from './sum.js';
import { addConfig } from './add.js';
import { identityConfig } from './identity.js';
import { conv2dConfig, fusedConv2dConfig } from './conv2d.js';
import { reluGradConfig } from './reluGradient.js';
import { convBiasActivationConfig, convBiasActivationGradConfig } from './convBiasActivation.js';

/** The kernels polyfuse adds to the wasm backend, which lacks them. */
export const wasmGradientKernels: readonly tf.KernelConfig[] = [
  convBiasActivationConfig,
  conv2dBackpropFilterConfig,
  unsortedSegmentSumConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  complexConfig,
  realConfig,
  imagConfig,
  complexAbsConfig,
  fftKernelConfig,
  ifftKernelConfig,
];

/**
 * wasm kernels polyfuse replaces with faster composed ones (measured in
 * bench/README.md). Each maker gets the backend's own kernel function, to
 * delegate the cases it does not speed up.
 */
export const wasmKernelReplacements: Readonly<Record<string, (native: tf.KernelFunc) => tf.KernelConfig>> = {
  Conv2D: (native) => conv2dConfig(native),
  FusedConv2D: (native) => fusedConv2dConfig(native),
  Conv2DBackpropInput: () => conv2dBackpropInputConfig,
  BatchMatMul: (native) => batchMatMulConfig(native),
  _FusedMatMul: (native) => fusedMatMulConfig(native),
  MaxPoolGrad: () => maxPoolGradConfig,
  Tile: (native) => tileConfig(native),
  Transpose: (native) => transposeConfig(native),
  GatherV2: (native) => gatherV2Config(native),
  Sum: (native) => sumConfig(native),
  Add: (native) => addConfig(native),
  Identity: (native) => identityConfig(native),
};

/**
 * Environment variable naming replacements to skip (comma-separated kernel
 * names, or `all`), so benchmarks can measure what each one gains.
 */
export const keepNativeKernelsEnvVar = 'POLYFUSE_WASM_NATIVE_KERNELS';

const replaced = new Set<string>();

/**
 * Registers the kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks but
 * training needs, each composed from kernels wasm has, and swaps in faster
 * versions of a few slow ones, and ReLU's gradient (reluGradient.ts; the
 * same values on every backend). Idempotent: a missing kernel already
 * registered (by an earlier call, or by a future tfjs release) is left alone,
 * and each replacement happens once. Called by `initBackend` when wasm is chosen.
 */
export function registerWasmGradientKernels(): void {
  for (const config of wasmGradientKernels) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) {
      tf.registerKernel(config);
    }
  }
  if (!replaced.has('gradients')) {
    tf.registerGradient(reluGradConfig);
    tf.registerGradient(convBiasActivationGradConfig);
    replaced.add('gradients');
  }
  const keep = (typeof process !== 'undefined' ? process.env?.[keepNativeKernelsEnvVar] ?? '' : '').split(',').map((s) => s.trim());
  for (const [name, make] of Object.entries(wasmKernelReplacements)) {
    if (replaced.has(name) || keep.includes(name) || keep.includes('all')) continue;
    const native = tf.getKernel(name, 'wasm');
    if (native === undefined) continue;
    const replacement = make(native.kernelFunc);
    tf.unregisterKernel(name, 'wasm');
    // The backend's setup (binding its C++ function) still runs at backend start-up, for delegation.
    tf.registerKernel({ ...replacement, setupFunc: native.setupFunc });
    replaced.add(name);
  }
}
