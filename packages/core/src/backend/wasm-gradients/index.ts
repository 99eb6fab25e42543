import { tf } from '../../tf.js';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter.js';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum.js';
import { depthwiseConv2dBackpropFilterConfig } from './depthwiseConv2dBackpropFilter.js';
import { depthwiseConv2dBackpropInputConfig } from './depthwiseConv2dBackpropInput.js';
import { complexAbsConfig, complexConfig, imagConfig, realConfig } from './complexKernels.js';
import { fftKernelConfig, ifftKernelConfig } from './fftKernels.js';

/** The kernels polyfuse adds to the wasm backend, in registration order. */
export const wasmGradientKernels: readonly tf.KernelConfig[] = [
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
 * Registers the kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks but
 * training needs, each composed from kernels wasm has. Idempotent: a kernel
 * already registered for wasm (by an earlier call, or by a future tfjs
 * release) is left alone. Called by `initBackend` when wasm is chosen.
 */
export function registerWasmGradientKernels(): void {
  for (const config of wasmGradientKernels) {
    if (tf.getKernel(config.kernelName, config.backendName) === undefined) {
      tf.registerKernel(config);
    }
  }
}
