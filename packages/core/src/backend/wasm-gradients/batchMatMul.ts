import { tf } from '../../tf.js';
import { asTensor, heapOffset, wasmHeap } from './kernelTensors.js';
import { activationCodes } from './conv2d.js';
import { simdKernelsFor } from './simdKernels.js';

type Attrs = { transposeA: boolean; transposeB: boolean; activation?: string };

/**
 * A faster `BatchMatMul` for wasm. Products of one matrix pair (batch 1, as
 * every dense layer's) with output columns in fours run on the compiled
 * kernels of wasm/src: A·B is a 1×1 convolution of M pixels with K channels
 * (`conv2d_forward`), and Aᵀ·B, the weight gradient xᵀ·dy, is the filter
 * gradient of that convolution (`conv2d_filter_gradient`), which sums over
 * the rows, 64 at a time, without transposing A (1.1–1.8× XNNPACK on W1's
 * and W2's shapes). Otherwise, with a transposed operand (the backend's own kernel is
 * several times slower with `transposeA`/`transposeB` than without), the
 * operands are transposed explicitly and the untransposed kernel (`plain`,
 * the backend's own) does the product. A·B sums each element in the same
 * order as the backend; Aᵀ·B adds the sums of 64-row chunks, so it may
 * differ from the backend in the last bits.
 */
export function batchMatMulConfig(plain: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { transposeA, transposeB } = attrs as unknown as Attrs;
      const compiled = compiledProduct(inputs.a!, inputs.b!, transposeA, transposeB, undefined, 0, backend);
      if (compiled) return compiled;
      if (!transposeA && !transposeB) return plain({ inputs, attrs, backend });
      return tf.tidy(() => {
        const a = transposeA ? swapLastAxes(asTensor(inputs.a)) : inputs.a!;
        const b = transposeB ? swapLastAxes(asTensor(inputs.b)) : inputs.b!;
        const out = plain({ inputs: { a, b }, attrs: { transposeA: false, transposeB: false }, backend });
        return tf.engine().makeTensorFromTensorInfo(out as tf.TensorInfo);
      });
    },
  };
}

/**
 * `_FusedMatMul` (a dense layer with a bias and a ReLU or no activation
 * outside training, as in `predict`) on the compiled kernel, the bias and
 * ReLU added to the sums in registers; everything else to the backend's kernel.
 */
export function fusedMatMulConfig(native: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: '_FusedMatMul',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
      const { transposeA, transposeB, activation = 'linear' } = args.attrs as unknown as Attrs;
      const code = activationCodes[activation];
      if (!a || !b || preluActivationWeights || code === undefined || transposeA) return withoutTransposedBias(native, args);
      const columns = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
      if (bias && !(bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === columns)) return native(args);
      return compiledProduct(a, b, false, transposeB, bias, code, args.backend) ?? withoutTransposedBias(native, args);
    },
  };
}

/**
 * The backend's `_FusedMatMul`, except that with `transposeB` and a bias B is
 * transposed first: tfjs-backend-wasm 4.22 adds the wrong bias to every row
 * but the first in that case (a = [[1, 2], [3, 4]], b = I₂ stacked on
 * [[1, 1], [2, 2]], bias [10, 20, 30, 40] gives a second row of
 * [43, 44, 47, 54] instead of [13, 24, 37, 54]; batchMatMul.test.ts).
 */
function withoutTransposedBias(native: tf.KernelFunc, args: Parameters<tf.KernelFunc>[0]): ReturnType<tf.KernelFunc> {
  const { transposeB } = args.attrs as unknown as Attrs;
  if (!transposeB || args.inputs.bias === undefined) return native(args);
  const transposed = tf.tidy(() => swapLastAxes(asTensor(args.inputs.b)));
  try {
    return native({ ...args, inputs: { ...args.inputs, b: transposed }, attrs: { ...args.attrs, transposeB: false } });
  } finally {
    transposed.dispose();
  }
}

/** The product on the compiled kernels, or undefined when this case is not theirs. */
function compiledProduct(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  bias: tf.TensorInfo | undefined,
  activation: number,
  backend: unknown,
): tf.TensorInfo | undefined {
  // One pair: [M, K] × [K, N] (what the op passes for matrices) or [1, M, K] × [1, K, N] (fused ops).
  const rank = a.shape.length;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || rank !== b.shape.length || (rank !== 2 && rank !== 3)) return undefined;
  if (rank === 3 && (a.shape[0] !== 1 || b.shape[0] !== 1)) return undefined;
  if (transposeA && (transposeB || bias)) return undefined;
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const leading = rank === 3 ? [1] : [];
  const columns = transposeB ? bRows : bCols;
  // Mismatched inner sizes: the backend's kernel reports them (tf.matMul leaves that check to the kernel).
  if ((transposeA ? aRows : aCols) !== (transposeB ? bCols : bRows)) return undefined;
  if (columns % 4 !== 0 || aRows * aCols * columns === 0) return undefined;
  const simd = simdKernelsFor(backend, 'BatchMatMul');
  if (!simd) return undefined;
  const heap = wasmHeap(backend);
  if (transposeA) {
    // [K, O] = Σ over the R rows of a[r, :]ᵀ · b[r, :]: the filter gradient of a 1×1 convolution of R pixels.
    const out = heap.makeOutput([...leading, aCols, columns], 'float32');
    simd.matmul_transposed_a(heapOffset(heap, a), heapOffset(heap, b), heapOffset(heap, out), aRows, aCols, columns);
    return out;
  }
  // Bᵀ is one [K, O] copy: the kernel reads weight rows.
  const transposed = transposeB ? tf.tidy(() => swapLastAxes(asTensor(b))) : undefined;
  const out = heap.makeOutput([...leading, aRows, columns], 'float32');
  simd.conv2d_forward(
    heapOffset(heap, a), heapOffset(heap, transposed ?? b), bias ? heapOffset(heap, bias) : 0, heapOffset(heap, out),
    1, 1, aRows, aCols, 1, aRows, columns, 1, 1, 1, 1, activation,
  );
  transposed?.dispose();
  return out;
}

function swapLastAxes(x: tf.Tensor): tf.Tensor {
  const perm = [...Array(x.rank).keys()];
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1]!, perm[x.rank - 2]!];
  return tf.transpose(x, perm);
}
