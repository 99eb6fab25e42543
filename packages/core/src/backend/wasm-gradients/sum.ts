import { tf } from '../../tf.js';
import { heapOffset, wasmHeap } from './kernelTensors.js';
import { simdKernelsFor } from './simdKernels.js';

/**
 * A faster `Sum` for wasm over every axis but the last of a float32 tensor
 * whose last axis is a multiple of 4: the bias gradient of every conv and
 * dense layer (per channel over [N, H, W, C], 2.3 ms on W1's [64,40,32,16]
 * with the backend's own kernel). The compiled column sum
 * (wasm/src/columnSums.c) reads the tensor once, four channels at a time,
 * and adds in double precision. Other reductions go to the backend's kernel.
 */
export function sumConfig(native: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: 'Sum',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { inputs, attrs, backend } = args;
      const x = inputs.x as tf.TensorInfo;
      const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
      const rank = x.shape.length;
      const channels = x.shape[rank - 1] ?? 0;
      const axes = rank > 1 ? tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b) : [];
      const leading = axes.length === rank - 1 && axes.every((a, i) => a === i);
      const simd = rank > 1 && leading && x.dtype === 'float32' && channels % 4 === 0 && channels > 0 ? simdKernelsFor(backend, 'Sum') : undefined;
      if (!simd) return native(args);
      const heap = wasmHeap(backend);
      const outInfo = heap.makeOutput(keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels], 'float32');
      const sums = heap.makeOutput([2 * channels], 'float32'); // doubles
      simd.column_sums(heapOffset(heap, x), x.shape.slice(0, -1).reduce((a, b) => a * b, 1), channels, heapOffset(heap, sums), heapOffset(heap, outInfo));
      heap.disposeData(sums.dataId);
      return outInfo;
    },
  };
}
