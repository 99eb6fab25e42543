import { tf } from '../../tf.js';
import { heapOffset, type WasmHeapBackend } from './kernelTensors.js';
import type { SimdKernels } from './simdKernels.js';

/** An NHWC input as the compiled convolution kernels read it: with its zero padding, on the heap. */
export interface PaddedInput {
  /** Byte offset of [batch, height, width, channels] on the heap. */
  offset: number;
  height: number;
  width: number;
  /** The padded copy, which the caller frees once the kernel has run; absent when the input is read as it is. */
  scratch?: tf.TensorInfo;
}

/**
 * The input of a convolution with its zero padding, as wasm/src/conv2d.c's
 * `conv2d_forward` and conv2dFilterGradient.c read it: the input itself when
 * the convolution reads nothing outside it, else a padded copy
 * (`conv2d_pad`) holding exactly the rows and columns the convolution reads.
 */
export function paddedInput(heap: WasmHeapBackend, simd: SimdKernels, x: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): PaddedInput {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const height = (outHeight - 1) * strideHeight + filterHeight;
  const width = (outWidth - 1) * strideWidth + filterWidth;
  if (top === 0 && left === 0 && height <= inHeight && width <= inWidth) return { offset: heapOffset(heap, x), height: inHeight, width: inWidth };
  const scratch = heap.makeOutput([batchSize, height, width, inChannels], 'float32');
  const offset = heapOffset(heap, scratch);
  simd.conv2d_pad(heapOffset(heap, x), offset, batchSize, inHeight, inWidth, inChannels, height, width, top, left);
  return { offset, height, width, scratch };
}
