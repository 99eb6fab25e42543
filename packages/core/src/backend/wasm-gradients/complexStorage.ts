import { tf } from '../../tf.js';

/**
 * How polyfuse stores complex64 tensors on the wasm backend: interleaved
 * (re, im) float32 pairs in one heap block of 8 bytes per element, which is
 * what the backend already allocates for that dtype and the layout the tfjs
 * cpu backend returns from `dataSync()` on a complex tensor.
 */

/** The parts of tfjs-backend-wasm's `BackendWasm` we rely on (it is not exported). */
export interface WasmBackendInternals {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number; shape: number[]; dtype: tf.DataType } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  readSync(dataId: object, start?: number, end?: number): unknown;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}

/**
 * A live view of a tensor's heap memory: float32 (complex64 as 2·size
 * interleaved floats), int32 or bool. Views go stale when the heap grows, so
 * take them after every allocation.
 */
export function heapView(backend: WasmBackendInternals, info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array {
  const { memoryOffset } = backend.dataIdMap.get(info.dataId);
  const size = tf.util.sizeFromShape(info.shape);
  const buffer = backend.wasm.HEAPU8.buffer;
  switch (info.dtype) {
    case 'float32':
      return new Float32Array(buffer, memoryOffset, size);
    case 'complex64':
      return new Float32Array(buffer, memoryOffset, 2 * size);
    case 'int32':
      return new Int32Array(buffer, memoryOffset, size);
    case 'bool':
      return new Uint8Array(buffer, memoryOffset, size);
    default:
      throw new Error(`No heap view for dtype ${info.dtype}`);
  }
}

const patched = new WeakSet<object>();

/**
 * Teaches the wasm backend to read complex64 tensors (`dataSync`, `print`,
 * `clone`), which it otherwise rejects with "Unknown dtype complex64": both
 * methods then return the interleaved float32 pairs, as the cpu backend does.
 * Patches the backend's class once; other dtypes are untouched.
 */
export function supportComplexReads(backend: WasmBackendInternals): void {
  const prototype = Object.getPrototypeOf(backend) as WasmBackendInternals;
  if (patched.has(prototype)) return;
  patched.add(prototype);
  const readSync = prototype.readSync;
  const typedArrayFromHeap = prototype.typedArrayFromHeap;
  prototype.readSync = function (this: WasmBackendInternals, dataId: object, start?: number, end?: number) {
    const data = this.dataIdMap.get(dataId);
    if (data?.dtype !== 'complex64') return readSync.call(this, dataId, start, end);
    const all = heapView(this, { dataId, shape: data.shape, dtype: 'complex64' });
    return all.slice(2 * (start ?? 0), end === undefined ? undefined : 2 * end);
  };
  prototype.typedArrayFromHeap = function (this: WasmBackendInternals, info: tf.TensorInfo) {
    return info.dtype === 'complex64' ? heapView(this, info) : typedArrayFromHeap.call(this, info);
  };
}
