import { tf } from '../../tf.js';
import { wasmHeap } from './kernelTensors.js';


/** Tile edge of the blocked copy: a block of rows and columns stays in cache while it is read and written. */
const block = 32;

/**
 * A faster `Transpose` for wasm when a permutation swaps the last two axes
 * (matrices, and batches of them), as every dense layer's gradient needs:
 * the backend's own kernel took 2.5 ms for a [2560, 64] matrix, about 15 ns
 * an element (bench/README.md). This one copies 32×32 tiles. The identity
 * permutation shares its input's memory. Other permutations and dtypes go
 * to the backend's own kernel.
 */
export function transposeConfig(native: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: 'Transpose',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { inputs, attrs, backend } = args;
      const x = inputs.x as tf.TensorInfo;
      const perm = (attrs as unknown as { perm: number[] }).perm;
      const rank = x.shape.length;
      // The identity permutation (gather's gradient transposes by one for axis 0, twice a step for an
      // embedding): share the input's memory, as Identity does, instead of copying it.
      if (perm.every((p, i) => p === i) && x.dtype !== 'string') {
        (backend as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
        return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
      }
      const swapsLastTwo = rank >= 2 && perm.every((p, i) => (i < rank - 2 ? p === i : p === (i === rank - 2 ? rank - 1 : rank - 2)));
      if (!swapsLastTwo || (x.dtype !== 'float32' && x.dtype !== 'int32')) return native(args);
      const rows = x.shape[rank - 2]!;
      const columns = x.shape[rank - 1]!;
      const matrices = x.shape.slice(0, rank - 2).reduce((a, b) => a * b, 1);
      const heap = wasmHeap(backend);
      // Allocate first: a heap that grows detaches views taken before.
      const outInfo = heap.makeOutput(perm.map((p) => x.shape[p]!), x.dtype);
      const out = heap.typedArrayFromHeap(outInfo);
      const source = heap.typedArrayFromHeap(x);
      for (let m = 0; m < matrices; m++) {
        const base = m * rows * columns;
        for (let r0 = 0; r0 < rows; r0 += block) {
          const r1 = Math.min(rows, r0 + block);
          for (let c0 = 0; c0 < columns; c0 += block) {
            const c1 = Math.min(columns, c0 + block);
            for (let r = r0; r < r1; r++) {
              for (let c = c0; c < c1; c++) out[base + c * rows + r] = source[base + r * columns + c]!;
            }
          }
        }
      }
      return outInfo;
    },
  };
}
