import { tf } from '../../tf.js';
import { heapView, supportComplexReads, type WasmBackendInternals } from './complexStorage.js';
import { fourierTransformRows } from './fourierTransform.js';

/**
 * `FFT` and `IFFT` for wasm: the transform over the innermost axis of a
 * complex64 tensor, as `tf.spectral.fft`/`ifft` define it (and the tfjs cpu
 * kernels compute), here in float64 then rounded to float32.
 */
function fftConfig(kernelName: 'FFT' | 'IFFT', inverse: boolean): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const wasm = backend as unknown as WasmBackendInternals;
      supportComplexReads(wasm);
      const { input } = inputs as { input: tf.TensorInfo };
      const n = input.shape[input.shape.length - 1] ?? 1;
      const rows = n === 0 ? 0 : tf.util.sizeFromShape(input.shape) / n;
      const transformed = fourierTransformRows(heapView(wasm, input), rows, n, inverse);
      const out = wasm.makeOutput(input.shape.slice(), 'complex64');
      heapView(wasm, out).set(transformed);
      return out;
    },
  };
}

export const fftKernelConfig = fftConfig('FFT', false);
export const ifftKernelConfig = fftConfig('IFFT', true);
