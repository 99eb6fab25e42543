import { tf } from '../tf.js';
import { heapOffset, heapTensor, wasmHeap } from '../backend/wasm-gradients/kernelTensors.js';
import type { SimdKernels } from '../backend/wasm-gradients/simdKernels.js';
import type { GruOptions } from './fusedGru.js';

/**
 * `fusedGruOp` on the wasm backend with the compiled SIMD kernels
 * (wasm/src/gru.c): the recurrence of all steps is one call and its backward
 * pass another, on tensors in the backend's heap, instead of a matMul kernel
 * per step plus the gate arithmetic in JavaScript. The input projection and
 * the weight gradients stay single matMuls on the backend. Same equations,
 * layouts and masking as the JavaScript path in fusedGru.ts; units must be a
 * multiple of 4.
 */
export function fusedGruSimdOp(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  inputBias: tf.Tensor,
  recurrentBias: tf.Tensor,
  options: GruOptions,
  kernels: SimdKernels,
): tf.Tensor {
  const [batch, steps, inputDim] = x.shape as [number, number, number];
  const units = recurrentKernel.shape[0] as number;
  const gates = 3 * units;
  const rows = batch * steps;
  const { mask, returnSequences, goBackwards, timeOrder = false } = options;
  const flags = [Number(goBackwards), Number(returnSequences), Number(timeOrder)] as const;
  const heap = wasmHeap(tf.backend());
  const op = tf.customGrad((...args: (tf.Tensor | ((tensors: tf.Tensor[]) => void))[]) => {
    const [xIn, w, u, bi, bh] = args as tf.Tensor[];
    const save = args[5] as (tensors: tf.Tensor[]) => void;
    const x2d = tf.reshape(xIn!, [rows, inputDim]);
    const projection = tf.fused.matMul({ a: x2d as tf.Tensor2D, b: w as tf.Tensor2D, bias: bi }); // x·W + b_i in one kernel
    // 1 = real step, 0 = padding, as floats the kernel reads (one per b·T + t).
    const maskTensor = mask ? tf.tensor1d(Float32Array.from(mask, (v) => (v ? 1 : 0))) : undefined;
    const saved = [0, 1, 2, 3, 4].map(() => heapTensor(heap, [rows, units])); // r, z, n, h·U_n + b_hn, previous h
    const scratch = heapTensor(heap, [batch * (2 * units + gates)]);
    const output = heapTensor(heap, returnSequences ? [batch, steps, units] : [batch, units]);
    const [r, z, n, hn, hPrev] = saved.map((s) => s.offset) as [number, number, number, number, number];
    kernels.gru_forward(
      heapOffset(heap, projection), heapOffset(heap, u!), heapOffset(heap, bh!), maskTensor ? heapOffset(heap, maskTensor) : 0,
      scratch.offset, scratch.offset + 4 * batch * units, scratch.offset + 8 * batch * units,
      r, z, n, hn, hPrev, output.offset,
      batch, steps, units, ...flags,
    );
    save([x2d, w!, u!, ...saved.map((s) => s.tensor), ...(maskTensor ? [maskTensor] : [])]);

    const gradFunc = (dy: tf.Tensor | tf.Tensor[], kept: tf.Tensor[]): tf.Tensor[] => {
      const [xSaved, wSaved, uSaved, ...rest] = kept as tf.Tensor2D[];
      const [rT, zT, nT, hnT, hPrevT, maskSaved] = rest;
      const dyTensor = Array.isArray(dy) ? dy[0]! : dy;
      const uTransposed = tf.transpose(uSaved!); // Uᵀ [3H, H] once, for dh·Uᵀ at every step
      const dInput = heapTensor(heap, [rows, gates]); // d(x·W + b_i), rows b·T + t
      const dRecurrent = heapTensor(heap, [rows, gates]); // d(h·U + b_h)
      const work = heapTensor(heap, [batch * (2 * units + gates)]);
      kernels.gru_backward(
        heapOffset(heap, dyTensor), heapOffset(heap, uTransposed), maskSaved ? heapOffset(heap, maskSaved) : 0,
        heapOffset(heap, rT!), heapOffset(heap, zT!), heapOffset(heap, nT!), heapOffset(heap, hnT!), heapOffset(heap, hPrevT!),
        dInput.offset, dRecurrent.offset, work.offset, work.offset + 4 * batch * units, work.offset + 8 * batch * units,
        batch, steps, units, ...flags,
      );
      // Bias gradients: column sums, accumulated in doubles (2 floats of scratch each).
      const sums = heapTensor(heap, [2 * gates]);
      const inputBiasGrad = heapTensor(heap, [gates]);
      const recurrentBiasGrad = heapTensor(heap, [gates]);
      kernels.column_sums(dInput.offset, rows, gates, sums.offset, inputBiasGrad.offset);
      kernels.column_sums(dRecurrent.offset, rows, gates, sums.offset, recurrentBiasGrad.offset);
      return [
        tf.reshape(tf.matMul(dInput.tensor as tf.Tensor2D, wSaved!, false, true), [batch, steps, inputDim]),
        tf.matMul(xSaved!, dInput.tensor as tf.Tensor2D, true, false),
        tf.matMul(hPrevT!, dRecurrent.tensor as tf.Tensor2D, true, false),
        inputBiasGrad.tensor,
        recurrentBiasGrad.tensor,
      ];
    };
    return { value: output.tensor, gradFunc };
  });
  return op(x, kernel, recurrentKernel, inputBias, recurrentBias) as tf.Tensor;
}
