import { tf } from '../../tf.js';
import { asTensor } from './kernelTensors.js';

/**
 * `UnsortedSegmentSum` for wasm (the gradient of `gather`, so embeddings can
 * train): out[s, ...] = Σ_{i : ids[i] = s} x[i, ...], with TensorFlow's
 * semantics: `segmentIds` covers the leading dimensions of `x` (rank k), the
 * output is [numSegments, ...x.shape[k:]], and ids outside [0, numSegments)
 * are dropped. (For 1-D ids this is exactly the tfjs cpu kernel.)
 *
 * Built on wasm's `ScatterNd`, which accumulates duplicate indices: invalid ids
 * are routed to one extra row that is cropped off, so nothing is written out
 * of bounds. This costs O(size of x) instead of the O(numSegments · size)
 * of a one-hot matmul, which matters for large vocabularies.
 */
export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs }) => {
    const { numSegments } = attrs as unknown as { numSegments: number };
    return tf.tidy(() => {
      const x = asTensor(inputs.x);
      const ids = asTensor(inputs.segmentIds);
      const idsRank = ids.rank;
      const inner = x.shape.slice(idsRank);
      const count = ids.size;
      const flatIds = tf.reshape(ids, [count, 1]).toInt();
      const valid = tf.logicalAnd(tf.greaterEqual(flatIds, 0), tf.less(flatIds, numSegments));
      const safeIds = tf.where(valid, flatIds, tf.fill([count, 1], numSegments, 'int32'));
      const updates = tf.reshape(x, [count, ...inner]);
      const summed = tf.scatterND(safeIds, updates, [numSegments + 1, ...inner]);
      return tf.slice(summed, 0, numSegments);
    });
  },
};
