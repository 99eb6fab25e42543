import { tf } from '../tf.js';
import { heapOffset, heapTensor, wasmHeap } from '../backend/wasm-gradients/kernelTensors.js';
import type { SimdKernels } from '../backend/wasm-gradients/simdKernels.js';

/**
 * `fusedBatchNormTraining` on the wasm backend with the compiled SIMD kernels
 * (wasm/src/batchNorm.c): the same statistics, output and closed-form
 * gradient, each pass one call over the tensors in the backend's heap
 * instead of JavaScript loops. Channels must be a multiple of 4.
 */
export function fusedBatchNormSimd(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
  kernels: SimdKernels,
): { y: tf.Tensor; mean: Float32Array; variance: Float32Array } {
  const channels = x.shape[x.rank - 1]!;
  const rows = x.size / channels;
  const mean = new Float32Array(channels);
  const variance = new Float32Array(channels);
  const heap = wasmHeap(tf.backend());
  const op = tf.customGrad((...args: (tf.Tensor | ((tensors: tf.Tensor[]) => void))[]) => {
    const [xIn, g, b] = args as tf.Tensor[];
    const save = args[3] as (tensors: tf.Tensor[]) => void;
    // mean, variance, 1/σ and the kernel's scratch (batchNorm.c), kept for the gradient.
    const stats = heapTensor(heap, [10 * channels]);
    const y = heapTensor(heap, x.shape);
    kernels.batch_norm_forward(heapOffset(heap, xIn!), heapOffset(heap, g!), heapOffset(heap, b!), y.offset, stats.offset, rows, channels, epsilon);
    const statsView = heap.typedArrayFromHeap(stats.tensor);
    mean.set(statsView.subarray(0, channels));
    variance.set(statsView.subarray(channels, 2 * channels));
    save([xIn!, g!, stats.tensor]);

    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
      const [xSaved, gSaved, statsSaved] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      // The kernel overwrites the scratch part of the stats: work on a copy, so a second gradient pass still finds them.
      const work = heapTensor(heap, [10 * channels]);
      heap.typedArrayFromHeap(work.tensor).set(heap.typedArrayFromHeap(statsSaved));
      const dx = heapTensor(heap, x.shape);
      const gradGamma = heapTensor(heap, [channels]);
      const gradBeta = heapTensor(heap, [channels]);
      kernels.batch_norm_backward(
        heapOffset(heap, xSaved), heapOffset(heap, Array.isArray(dy) ? dy[0]! : dy), heapOffset(heap, gSaved),
        dx.offset, work.offset, gradGamma.offset, gradBeta.offset, rows, channels,
      );
      return [dx.tensor, gradGamma.tensor, gradBeta.tensor];
    };
    return { value: y.tensor, gradFunc };
  });
  const y = op(x, gamma, beta) as tf.Tensor;
  return { y, mean, variance };
}
