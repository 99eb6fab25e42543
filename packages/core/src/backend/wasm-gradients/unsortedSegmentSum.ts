import { tf } from '../../tf.js';
import { asTensor, wasmHeap, type WasmHeapBackend } from './kernelTensors.js';

/**
 * `UnsortedSegmentSum` for wasm (the gradient of `gather`, so embeddings can
 * train): out[s, ...] = Σ_{i : ids[i] = s} x[i, ...], with TensorFlow's
 * semantics: `segmentIds` covers the leading dimensions of `x` (rank k), the
 * output is [numSegments, ...x.shape[k:]], and ids outside [0, numSegments)
 * are dropped. (For 1-D ids this is exactly the tfjs cpu kernel.)
 *
 * float32 values are summed on the wasm heap in JavaScript (sumRowsOnHeap).
 * Other dtypes use wasm's `ScatterNd`, which accumulates duplicate indices:
 * invalid ids are routed to one extra row that is cropped off, so nothing is
 * written out of bounds. Both cost O(size of x), not the O(numSegments · size)
 * of a one-hot matmul, which matters for large vocabularies.
 */
export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { numSegments } = attrs as unknown as { numSegments: number };
    const x = inputs.x as tf.TensorInfo;
    const ids = inputs.segmentIds as tf.TensorInfo;
    if (x.dtype === 'float32' && ids.dtype === 'int32') return sumRowsOnHeap(x, ids, numSegments, wasmHeap(backend));
    return tf.tidy(() => {
      const xs = asTensor(x);
      const segmentIds = asTensor(ids);
      const inner = xs.shape.slice(segmentIds.rank);
      const count = segmentIds.size;
      const flatIds = tf.reshape(segmentIds, [count, 1]).toInt();
      const valid = tf.logicalAnd(tf.greaterEqual(flatIds, 0), tf.less(flatIds, numSegments));
      const safeIds = tf.where(valid, flatIds, tf.fill([count, 1], numSegments, 'int32'));
      const updates = tf.reshape(xs, [count, ...inner]);
      const summed = tf.scatterND(safeIds, updates, [numSegments + 1, ...inner]);
      return tf.slice(summed, 0, numSegments);
    });
  },
};


/**
 * The float32 case (every embedding gradient) straight on the wasm heap: rows
 * of x added into their segment's row in input order (the cpu kernel's
 * order), about 15x faster than the ScatterNd composition (3.5 + 2.9 ms for
 * W2's 2048 × 64 embedding gradient).
 */
function sumRowsOnHeap(x: tf.TensorInfo, ids: tf.TensorInfo, numSegments: number, heap: WasmHeapBackend): tf.TensorInfo {
  const innerShape = x.shape.slice(ids.shape.length);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  // Allocate first: a heap that grows detaches views taken before.
  const outInfo = heap.makeOutput([numSegments, ...innerShape], 'float32');
  const out = heap.typedArrayFromHeap(outInfo);
  const values = heap.typedArrayFromHeap(x);
  const segments = heap.typedArrayFromHeap(ids);
  out.fill(0);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment < 0 || segment >= numSegments) continue;
    const to = segment * inner;
    const from = i * inner;
    for (let k = 0; k < inner; k++) out[to + k] += values[from + k]!;
  }
  return outInfo;
}
