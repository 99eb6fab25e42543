import { tf } from '../tf.js';
import { Float32Pool } from './float32Pool.js';
import { currentWasmBackend, simdKernelsFor } from '../backend/wasm-gradients/simdKernels.js';
import { fusedBatchNormSimd } from './fusedBatchNormSimd.js';

/** Scratch arrays of every batch-norm call, reused from step to step. */
const scratch = new Float32Pool();

/**
 * An array to fill and hand to `tf.tensor`, and how to release it: pooled on
 * wasm, whose `tf.tensor` copies the values into its heap; fresh elsewhere,
 * where the tensor keeps the array itself.
 */
function outputArray(length: number): { array: Float32Array; release: () => void } {
  if (tf.getBackend() !== 'wasm') return { array: new Float32Array(length), release: () => undefined };
  const array = scratch.take(length);
  return { array, release: () => scratch.give(array) };
}

/** A tensor's float32 values; on wasm a view of its heap (no copy), else `dataSync`. */
function valuesOf(tensor: tf.Tensor): Float32Array {
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: (info: tf.TensorInfo) => Float32Array };
  if (tf.getBackend() === 'wasm' && backend.typedArrayFromHeap) return backend.typedArrayFromHeap(tensor);
  return tensor.dataSync() as Float32Array;
}

/**
 * Batch normalisation in training mode over every axis but the last
 * (channels-last), as one op: y = γ·(x − μ)/√(σ² + ε) + β with μ and σ² the
 * batch mean and biased variance per channel, which tfjs-layers'
 * BatchNormalization computes with `tf.moments` and `tf.batchNorm`. Its
 * gradient is the closed form
 * dx = γ/(√(σ² + ε)·n) · (n·dy − Σdy − x̂·Σ(dy·x̂)), dγ = Σ(dy·x̂), dβ = Σdy,
 * computed in JavaScript in two passes, instead of tfjs's chain of ~15
 * element-wise and reduction kernels over the whole activation (about 45 ms a
 * step on av-digits' audio encoder with wasm). On wasm with channels in
 * fours, both passes run as compiled SIMD kernels instead
 * (fusedBatchNormSimd.ts). Returns y and the batch statistics (without
 * gradient), which the layer folds into its moving averages.
 */
export function fusedBatchNormTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): { y: tf.Tensor; mean: Float32Array; variance: Float32Array } {
  const channels = x.shape[x.rank - 1]!;
  const simd = channels % 4 === 0 ? simdKernelsFor(currentWasmBackend(), 'BatchNormalization') : undefined;
  if (simd) return fusedBatchNormSimd(x, gamma, beta, epsilon, simd);
  const rows = x.size / channels;
  const mean = new Float32Array(channels);
  const variance = new Float32Array(channels);
  const op = tf.customGrad((...args: (tf.Tensor | ((tensors: tf.Tensor[]) => void))[]) => {
    const [xIn, g, b] = args as tf.Tensor[];
    const save = args[3] as (tensors: tf.Tensor[]) => void;
    const values = valuesOf(xIn!);
    const sums = new Float64Array(channels);
    for (let r = 0; r < rows; r++) for (let c = 0, o = r * channels; c < channels; c++) sums[c] += values[o + c]!;
    for (let c = 0; c < channels; c++) mean[c] = sums[c]! / rows;
    sums.fill(0);
    for (let r = 0; r < rows; r++) {
      for (let c = 0, o = r * channels; c < channels; c++) {
        const d = values[o + c]! - mean[c]!;
        sums[c] += d * d;
      }
    }
    const invStd = new Float64Array(channels);
    for (let c = 0; c < channels; c++) {
      variance[c] = sums[c]! / rows;
      invStd[c] = 1 / Math.sqrt(variance[c]! + epsilon);
    }
    const gammas = g!.dataSync() as Float32Array;
    const betas = b!.dataSync() as Float32Array;
    const { array: out, release: releaseOut } = outputArray(x.size);
    for (let r = 0; r < rows; r++) {
      for (let c = 0, o = r * channels; c < channels; c++) out[o + c] = (values[o + c]! - mean[c]!) * invStd[c]! * gammas[c]! + betas[c]!;
    }
    const y = tf.tensor(out, x.shape, 'float32');
    releaseOut();
    save([xIn!, g!]);

    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
      const dys = valuesOf(Array.isArray(dy) ? dy[0]! : dy);
      const xs = valuesOf(saved[0]!);
      const gs = saved[1]!.dataSync() as Float32Array;
      const sumDy = new Float64Array(channels);
      const sumDyXhat = new Float64Array(channels);
      for (let r = 0; r < rows; r++) {
        for (let c = 0, o = r * channels; c < channels; c++) {
          const d = dys[o + c]!;
          sumDy[c] += d;
          sumDyXhat[c] += d * (xs[o + c]! - mean[c]!) * invStd[c]!;
        }
      }
      const { array: dx, release: releaseDx } = outputArray(x.size);
      for (let r = 0; r < rows; r++) {
        for (let c = 0, o = r * channels; c < channels; c++) {
          const xhat = (xs[o + c]! - mean[c]!) * invStd[c]!;
          dx[o + c] = ((gs[c]! * invStd[c]!) / rows) * (rows * dys[o + c]! - sumDy[c]! - xhat * sumDyXhat[c]!);
        }
      }
      const grads = [tf.tensor(dx, x.shape, 'float32'), tf.tensor(Float32Array.from(sumDyXhat), [channels]), tf.tensor(Float32Array.from(sumDy), [channels])];
      releaseDx();
      return grads;
    };
    return { value: y, gradFunc };
  });
  const y = op(x, gamma, beta) as tf.Tensor;
  return { y, mean, variance };
}
