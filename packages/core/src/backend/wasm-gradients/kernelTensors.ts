import { tf } from '../../tf.js';
import { BackendError } from '../../errors/errors.js';

/**
 * Kernel inputs arrive as `TensorInfo`s (ops pass Tensors, but the engine
 * only promises `TensorInfo`). Wrapping one in a Tensor lets a composed kernel
 * call ordinary ops; the wrapper shares the data id and is freed by the
 * surrounding `tf.tidy`.
 */
export function asTensor<R extends tf.Rank = tf.Rank>(info: tf.TensorInfo | undefined): tf.Tensor<R> {
  if (info === undefined) throw new BackendError('A wasm gradient kernel was called without one of its inputs.');
  if (info instanceof tf.Tensor) return info as tf.Tensor<R>;
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>;
}

/** `[h, w]` from a kernel attribute that may be one number or a pair. */
export function pair(value: number | [number, number]): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/**
 * The parts of @tensorflow/tfjs-backend-wasm's backend object that kernels
 * written in JavaScript use to read and write its heap directly. Views from
 * `typedArrayFromHeap` are detached when the heap grows, so a kernel
 * allocates its output with `makeOutput` before taking any view.
 */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** Typed as Float32Array; an int32 or bool tensor gives an Int32Array or Uint8Array view. */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: tf.DataId): boolean;
  /** Byte offset of a tensor's values in the heap: what compiled kernels (simdKernels.ts) take. */
  getMemoryOffset(dataId: tf.DataId): number;
}

/** The kernel's backend as a `WasmHeapBackend` (kernels receive it untyped). */
export function wasmHeap(backend: unknown): WasmHeapBackend {
  return backend as WasmHeapBackend;
}

/**
 * A new float32 tensor on the wasm heap with unspecified values, and its
 * byte offset there, for a compiled kernel to fill. Freed like any tensor.
 */
export function heapTensor(heap: WasmHeapBackend, shape: number[]): { tensor: tf.Tensor; offset: number } {
  const info = heap.makeOutput(shape, 'float32');
  return { tensor: tf.engine().makeTensorFromTensorInfo(info), offset: heap.getMemoryOffset(info.dataId) };
}

/** Byte offset of a tensor's values on the wasm heap. */
export function heapOffset(heap: WasmHeapBackend, tensor: tf.TensorInfo): number {
  return heap.getMemoryOffset(tensor.dataId);
}
