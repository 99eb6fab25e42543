import { tf } from '../../tf.js';
import { heapView, supportComplexReads, type WasmBackendInternals } from './complexStorage.js';

/**
 * The complex-number kernels wasm lacks (`Complex`, `Real`, `Imag`,
 * `ComplexAbs`), on interleaved storage (see complexStorage.ts). They are
 * what `tf.complex`, `tf.real`, `tf.imag` and `tf.abs` of a complex tensor
 * dispatch, and so what `tf.spectral.rfft`/`irfft` and `tf.signal.stft` need.
 * Semantics as the tfjs cpu kernels.
 */

function wasmBackend(backend: unknown): WasmBackendInternals {
  const internals = backend as WasmBackendInternals;
  supportComplexReads(internals);
  return internals;
}

export const complexConfig: tf.KernelConfig = {
  kernelName: 'Complex',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const wasm = wasmBackend(backend);
    const { real, imag } = inputs as { real: tf.TensorInfo; imag: tf.TensorInfo };
    const out = wasm.makeOutput(real.shape.slice(), 'complex64');
    const re = heapView(wasm, real);
    const im = heapView(wasm, imag);
    const pairs = heapView(wasm, out);
    for (let i = 0; i < re.length; i++) {
      pairs[2 * i] = re[i]!;
      pairs[2 * i + 1] = im[i]!;
    }
    return out;
  },
};

/** One float32 output per complex element, computed from its (re, im) pair. */
function elementwise(kernelName: string, part: (re: number, im: number) => number): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const wasm = wasmBackend(backend);
      const input = (inputs as { input?: tf.TensorInfo; x?: tf.TensorInfo }).input ?? (inputs as { x: tf.TensorInfo }).x;
      const out = wasm.makeOutput(input.shape.slice(), 'float32');
      const pairs = heapView(wasm, input);
      const values = heapView(wasm, out);
      for (let i = 0; i < values.length; i++) values[i] = part(pairs[2 * i]!, pairs[2 * i + 1]!);
      return out;
    },
  };
}

export const realConfig = elementwise('Real', (re) => re);
export const imagConfig = elementwise('Imag', (_re, im) => im);
export const complexAbsConfig = elementwise('ComplexAbs', (re, im) => Math.hypot(re, im));
