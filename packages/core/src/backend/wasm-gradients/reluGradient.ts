import { tf } from '../../tf.js';
import { heapOffset, heapTensor, wasmHeap } from './kernelTensors.js';
import { currentWasmBackend, simdKernelsFor } from './simdKernels.js';

/**
 * ReLU's gradient with the compiled kernel on wasm (wasm/src/reluGrad.c):
 * dy · step(x) in one pass, where tfjs-core's gradient runs Step, Cast and
 * Multiply, three kernels over the whole activation (W1's first layer:
 * 1.3M values). Same values, NaN and signed zeros included; other backends
 * and dtypes run tfjs-core's ops. Registered in place of tfjs-core's
 * gradient for `Relu` by `registerWasmGradientKernels`.
 */
export const reluGradConfig: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    return { x: () => reluGradient(dy as tf.Tensor, x!) };
  },
};

/** dy · step(x), on the compiled kernel where it can run. */
export function reluGradient(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const fits = x.dtype === 'float32' && dy.dtype === 'float32' && x.size === dy.size;
  const simd = fits ? simdKernelsFor(currentWasmBackend(), 'Relu') : undefined;
  if (!simd) return tf.mul(dy, tf.cast(tf.step(x), 'float32'));
  const heap = wasmHeap(tf.backend());
  const dx = heapTensor(heap, x.shape as number[]);
  simd.relu_grad(heapOffset(heap, x), heapOffset(heap, dy), dx.offset, x.size);
  return dx.tensor;
}
