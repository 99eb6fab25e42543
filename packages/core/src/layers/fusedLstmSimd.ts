import { tf } from '../tf.js';
import { heapOffset, heapTensor, wasmHeap } from '../backend/wasm-gradients/kernelTensors.js';
import type { SimdKernels } from '../backend/wasm-gradients/simdKernels.js';
import type { LstmOptions } from './fusedLstm.js';

/**
 * `fusedLstmOp` on the wasm backend with the compiled SIMD kernels
 * (wasm/src/lstm.c): the recurrence of all steps is one call and its backward
 * pass another, on tensors in the backend's heap, instead of a matMul kernel
 * per step plus the gate arithmetic in JavaScript. The input projection and
 * the weight gradients stay single matMuls on the backend. Same equations,
 * layouts, masking and initial state as the JavaScript path in fusedLstm.ts;
 * units must be a multiple of 4.
 */
export function fusedLstmSimdOp(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  inputBias: tf.Tensor,
  recurrentBias: tf.Tensor,
  options: LstmOptions,
  kernels: SimdKernels,
): tf.Tensor {
  const [batch, steps, inputDim] = x.shape as [number, number, number];
  const units = recurrentKernel.shape[0] as number;
  const gates = 4 * units;
  const rows = batch * steps;
  const { mask, initialState, returnSequences, goBackwards, timeOrder = false } = options;
  const flags = [Number(goBackwards), Number(returnSequences), Number(timeOrder)] as const;
  const heap = wasmHeap(tf.backend());
  const op = tf.customGrad((...args: (tf.Tensor | ((tensors: tf.Tensor[]) => void))[]) => {
    const [xIn, w, u, bi, bh, h0, c0] = args.slice(0, -1) as tf.Tensor[];
    const save = args[args.length - 1] as (tensors: tf.Tensor[]) => void;
    const x2d = tf.reshape(xIn!, [rows, inputDim]);
    const projection = tf.fused.matMul({ a: x2d as tf.Tensor2D, b: w as tf.Tensor2D, bias: bi }); // x·W + b_i in one kernel
    // 1 = real step, 0 = padding, as floats the kernel reads (one per b·T + t).
    const maskTensor = mask ? tf.tensor1d(Float32Array.from(mask, (v) => (v ? 1 : 0))) : undefined;
    const gateSaved = heapTensor(heap, [rows, gates]); // i, f, g, o
    const saved = [0, 1, 2].map(() => heapTensor(heap, [rows, units])); // previous c, tanh(c'), previous h
    const state = heapTensor(heap, [batch * (2 * units + gates)]); // h, c, h·U
    const output = heapTensor(heap, returnSequences ? [batch, steps, units] : [batch, units]);
    const [cPrev, tanhC, hPrev] = saved.map((s) => s.offset) as [number, number, number];
    kernels.lstm_forward(
      heapOffset(heap, projection), heapOffset(heap, u!), heapOffset(heap, bh!), maskTensor ? heapOffset(heap, maskTensor) : 0,
      h0 ? heapOffset(heap, h0) : 0, c0 ? heapOffset(heap, c0) : 0,
      state.offset, state.offset + 4 * batch * units, state.offset + 8 * batch * units,
      gateSaved.offset, cPrev, tanhC, hPrev, output.offset,
      batch, steps, units, ...flags,
    );
    save([x2d, w!, u!, gateSaved.tensor, ...saved.map((s) => s.tensor), ...(maskTensor ? [maskTensor] : [])]);

    const gradFunc = (dy: tf.Tensor | tf.Tensor[], kept: tf.Tensor[]): tf.Tensor[] => {
      const [xSaved, wSaved, uSaved, gatesT, cPrevT, tanhCT, hPrevT, maskSaved] = kept as tf.Tensor2D[];
      const dyTensor = Array.isArray(dy) ? dy[0]! : dy;
      const uTransposed = tf.transpose(uSaved!); // Uᵀ [4H, H] once, for the step gradients · Uᵀ at every step
      const dGates = heapTensor(heap, [rows, gates]); // d(x·W + b_i + h·U + b_h), rows b·T + t
      // dh and dc: scratch, and at the end the gradients of h0 and c0.
      const dh = heapTensor(heap, [batch, units]);
      const dc = heapTensor(heap, [batch, units]);
      const stepGrad = heapTensor(heap, [batch, gates]);
      kernels.lstm_backward(
        heapOffset(heap, dyTensor), heapOffset(heap, uTransposed), maskSaved ? heapOffset(heap, maskSaved) : 0,
        heapOffset(heap, gatesT!), heapOffset(heap, cPrevT!), heapOffset(heap, tanhCT!),
        dGates.offset, dh.offset, dc.offset, stepGrad.offset,
        batch, steps, units, ...flags, Number(h0 !== undefined),
      );
      // Both biases get the same gradient: column sums, accumulated in doubles (2 floats of scratch each).
      const sums = heapTensor(heap, [2 * gates]);
      const biasGrad = heapTensor(heap, [gates]);
      kernels.column_sums(dGates.offset, rows, gates, sums.offset, biasGrad.offset);
      const dGatesT = dGates.tensor as tf.Tensor2D;
      return [
        tf.reshape(tf.matMul(dGatesT, wSaved!, false, true), [batch, steps, inputDim]),
        tf.matMul(xSaved!, dGatesT, true, false),
        tf.matMul(hPrevT!, dGatesT, true, false),
        biasGrad.tensor,
        tf.clone(biasGrad.tensor),
        ...(h0 ? [dh.tensor, dc.tensor] : []),
      ];
    };
    return { value: output.tensor, gradFunc };
  });
  return op(x, kernel, recurrentKernel, inputBias, recurrentBias, ...(initialState ?? [])) as tf.Tensor;
}
