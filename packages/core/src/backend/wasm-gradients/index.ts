/**
 * Gradient kernels that @tensorflow/tfjs-backend-wasm lacks, composed from
 * kernels it has. Registered by `initBackend` when wasm is chosen.
 */
export function registerWasmGradientKernels(): void {
  // Filled in by the kernels work (Conv2DBackpropFilter, UnsortedSegmentSum, ...).
}
