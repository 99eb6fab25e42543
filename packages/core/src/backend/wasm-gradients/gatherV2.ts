import { tf } from '../../tf.js';
import { wasmHeap } from './kernelTensors.js';
import { InputError } from '../../errors/errors.js';


/**
 * A faster `GatherV2` for wasm when gathering rows (axis 0, no batch dims),
 * as every embedding lookup does: the backend's own kernel computes an index
 * per element (6.6 ms for W2's 2048 rows of 64); this copies whole rows.
 * Other cases go to the backend's own kernel. An index outside
 * [0, rows) is an InputError naming it, as TensorFlow's CPU kernel raises.
 */
export function gatherV2Config(native: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: 'GatherV2',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { inputs, attrs, backend } = args;
      const x = inputs.x as tf.TensorInfo;
      const indices = inputs.indices as tf.TensorInfo;
      const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
      const rowsAxis = tf.util.parseAxisParam(axis, x.shape)[0];
      const supported = rowsAxis === 0 && !batchDims && (x.dtype === 'float32' || x.dtype === 'int32') && indices.dtype === 'int32';
      if (!supported) return native(args);
      const rows = x.shape[0]!;
      const rowShape = x.shape.slice(1);
      const width = rowShape.reduce((a, b) => a * b, 1);
      const heap = wasmHeap(backend);
      // Allocate first: a heap that grows detaches views taken before.
      const outInfo = heap.makeOutput([...indices.shape, ...rowShape], x.dtype);
      const out = heap.typedArrayFromHeap(outInfo);
      const source = heap.typedArrayFromHeap(x);
      const picked = heap.typedArrayFromHeap(indices);
      for (let i = 0; i < picked.length; i++) {
        const row = picked[i]!;
        if (row < 0 || row >= rows) {
          heap.disposeData(outInfo.dataId);
          throw new InputError(`gather: index ${row} (at position ${i}) is not in [0, ${rows - 1}]; for an embedding, the token id exceeds the vocabulary.`);
        }
        out.set(source.subarray(row * width, (row + 1) * width), i * width);
      }
      return outInfo;
    },
  };
}
