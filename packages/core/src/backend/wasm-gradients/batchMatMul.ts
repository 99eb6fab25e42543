import { tf } from '../../tf.js';
import { asTensor } from './kernelTensors.js';

/**
 * A faster `BatchMatMul` for wasm when an operand is transposed, as in every
 * dense layer's backward pass (dW = xᵀ·dy, dx = dy·Wᵀ): the backend's own
 * kernel is several times slower with `transposeA`/`transposeB` than without
 * (bench/README.md), so the operand is transposed explicitly and the
 * untransposed kernel (`plain`, the backend's own) does the product.
 * Results are the same products, summed in the same order per element.
 */
export function batchMatMulConfig(plain: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA) return plain({ inputs, attrs, backend });
      return tf.tidy(() => {
        const a = asTensor(inputs.a);
        const perm = [...Array(a.rank).keys()];
        [perm[a.rank - 2], perm[a.rank - 1]] = [perm[a.rank - 1]!, perm[a.rank - 2]!];
        const aT = tf.transpose(a, perm);
        const out = plain({ inputs: { a: aT, b: inputs.b! }, attrs: { transposeA: false, transposeB }, backend });
        return tf.engine().makeTensorFromTensorInfo(out as tf.TensorInfo);
      });
    },
  };
}
