import { tf } from '../../tf.js';
import { asTensor } from './kernelTensors.js';

/**
 * A faster `BatchMatMul` for wasm when an operand is transposed, as in every
 * dense layer's backward pass (dW = xᵀ·dy, dx = dy·Wᵀ): the backend's own
 * kernel is several times slower with `transposeA`/`transposeB` than without
 * (bench/README.md), so the operands are transposed explicitly and the
 * untransposed kernel (`plain`, the backend's own) does the product.
 * Results are the same products, summed in the same order per element.
 */
export function batchMatMulConfig(plain: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
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

function swapLastAxes(x: tf.Tensor): tf.Tensor {
  const perm = [...Array(x.rank).keys()];
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1]!, perm[x.rank - 2]!];
  return tf.transpose(x, perm);
}
