import { tf } from '../../tf.js';
import { heapOffset, wasmHeap } from './kernelTensors.js';
import { simdKernelsFor } from './simdKernels.js';

/**
 * A faster `Add` for wasm when one float32 operand is a per-channel vector
 * added to every row of the other ([..., C] + [C], C a multiple of 4): the
 * bias of a conv or dense layer in training, where tfjs runs conv, bias and
 * activation unfused. The compiled kernel (wasm/src/addBias.c) streams the
 * rows; the backend's own kernel computes a broadcast index per element
 * (4.8 ms for [64,40,32,16] + [16] under the profiler). Everything else goes
 * to the backend's kernel.
 */
export function addConfig(native: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: 'Add',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const [x, bias] = isBias(b, a) ? [a, b] : isBias(a, b) ? [b, a] : [];
      const simd = x && bias ? simdKernelsFor(args.backend, 'Add') : undefined;
      if (!x || !bias || !simd) return native(args);
      const heap = wasmHeap(args.backend);
      const out = heap.makeOutput(x.shape, 'float32');
      const channels = bias.shape[0]!;
      simd.add_bias(heapOffset(heap, x), heapOffset(heap, bias), heapOffset(heap, out), x.shape.reduce((p, d) => p * d, 1) / channels, channels);
      return out;
    },
  };
}

/** Whether `bias` is a [C] float32 vector matching the last axis of a float32 `x` of rank ≥ 2, C in fours. */
function isBias(bias: tf.TensorInfo | undefined, x: tf.TensorInfo | undefined): boolean {
  if (!bias || !x || bias.dtype !== 'float32' || x.dtype !== 'float32' || bias.shape.length !== 1 || x.shape.length < 2) return false;
  const channels = bias.shape[0]!;
  return channels > 0 && channels % 4 === 0 && x.shape[x.shape.length - 1] === channels;
}
