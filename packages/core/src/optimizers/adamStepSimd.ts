import { tf } from '../tf.js';
import { heapOffset, heapTensor, wasmHeap } from '../backend/wasm-gradients/kernelTensors.js';
import { currentWasmBackend, simdKernelsFor } from '../backend/wasm-gradients/simdKernels.js';

/** The constants of one Adam step, as @polyfuse/trainer's Adam computes them. */
export interface AdamStepConstants {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β2^t. */
  biasCorrection2: number;
  /** lr / (1 − β1^t). */
  stepSize: number;
  /** 'l2': g += p·wd (Adam); 'decoupled': p *= 1 − lr·wd (AdamW); 'none'. */
  weightDecay: 'none' | 'l2' | 'decoupled';
  /** wd for 'l2', 1 − lr·wd for 'decoupled'. */
  decay: number;
}

/**
 * One Adam step of one variable as a single compiled kernel (wasm/src/adam.c)
 * on the wasm backend: the new value and moments, the same float32 values as
 * the tensor-op version in @polyfuse/trainer's `Adam.update`, from one pass
 * over the tensors instead of about 12 kernels each reading and writing all
 * of them (W1's 283k weights: 2.8 ms a step with the ops). Undefined when it
 * cannot run (another backend, not float32, the kernel switched off with
 * `POLYFUSE_WASM_JS_KERNELS=Adam`): the caller uses the ops. `m` and `v`
 * are undefined on the first step. The outputs are new tensors.
 */
export function adamStepSimd(
  param: tf.Tensor,
  grad: tf.Tensor,
  m: tf.Tensor | undefined,
  v: tf.Tensor | undefined,
  constants: AdamStepConstants,
): { value: tf.Tensor; m: tf.Tensor; v: tf.Tensor } | undefined {
  if ([param, grad, m, v].some((t) => t !== undefined && t.dtype !== 'float32')) return undefined;
  const simd = simdKernelsFor(currentWasmBackend(), 'Adam');
  if (!simd) return undefined;
  const heap = wasmHeap(tf.backend());
  const [value, mOut, vOut] = [0, 1, 2].map(() => heapTensor(heap, param.shape as number[])) as [ReturnType<typeof heapTensor>, ReturnType<typeof heapTensor>, ReturnType<typeof heapTensor>];
  const { beta1, beta2, epsilon, biasCorrection2, stepSize, weightDecay, decay } = constants;
  const f32 = Math.fround;
  simd.adam_step(
    heapOffset(heap, param), heapOffset(heap, grad), m ? heapOffset(heap, m) : 0, v ? heapOffset(heap, v) : 0,
    value.offset, mOut.offset, vOut.offset, param.size,
    f32(beta1), f32(1 - beta1), f32(beta2), f32(1 - beta2), f32(biasCorrection2), f32(epsilon), f32(stepSize), f32(decay),
    weightDecay === 'l2' ? 1 : weightDecay === 'decoupled' ? 2 : 0,
  );
  return { value: value.tensor, m: mOut.tensor, v: vOut.tensor };
}
