import { tf } from '../tf.js';
import { inputList } from './layerArgs.js';
import { FusedRecurrentLayer, type FusedRecurrentArgs } from './fusedRecurrentLayer.js';
import { Float32Pool } from './float32Pool.js';
import { currentWasmBackend, simdKernelsFor } from '../backend/wasm-gradients/simdKernels.js';
import { fusedGruSimdOp } from './fusedGruSimd.js';
import { columnSums, dotRows, nativeMatMulBackends, productInto, sigmoid, tanh } from './recurrentMath.js';

/** Scratch arrays of every FusedGru call, reused from step to step. */
const scratch = new Float32Pool();

/** Options of `FusedGru` (see `FusedRecurrentArgs`). */
export type FusedGruArgs = FusedRecurrentArgs;

/**
 * A GRU layer with PyTorch's `torch.nn.GRU` semantics (the reset-after /
 * cuDNN variant, logistic sigmoid gates, gate order r, z, n), run as ONE
 * custom-gradient op instead of tfjs-layers' ~10 small kernels per step:
 *
 *   r  = σ(x·W_r + b_ir + h·U_r + b_hr)
 *   z  = σ(x·W_z + b_iz + h·U_z + b_hz)
 *   n  = tanh(x·W_n + b_in + r ⊙ (h·U_n + b_hn))
 *   h' = (1 − z) ⊙ n + z ⊙ h,   h₀ = 0
 *
 * Weights (columns in gate order r | z | n, each H wide):
 * `kernel` [D, 3H], `recurrentKernel` [H, 3H], `inputBias` [3H],
 * `recurrentBias` [3H]. From torch: kernel = weight_ih_l0ᵀ,
 * recurrentKernel = weight_hh_l0ᵀ, inputBias = bias_ih_l0,
 * recurrentBias = bias_hh_l0. (This is not tf.layers.gru's layout, whose
 * default is reset-before with hard-sigmoid gates and gate order z, r, h.)
 *
 * Initialisers are tf.layers.gru's defaults: glorotNormal kernel, orthogonal
 * recurrent kernel (tfjs warns that orthogonal is slow on big matrices; it
 * runs once per build), zero biases.
 *
 * Input `[B, T, D]` → last state `[B, H]`, or with `returnSequences` every
 * state `[B, T, H]`. `goBackwards` processes T-1 … 0 and, like tfjs-layers'
 * RNN, returns the sequence in processing order (not reversed back) unless
 * `sequenceOrder: 'time'`.
 * Masking follows tfjs-layers' RNN exactly: a `[B, T]` mask (from e.g.
 * `embedding({ maskZero: true })`, any non-zero = real step) carries the state
 * unchanged through masked steps, and the sequence output at a masked step is
 * that carried state; `computeMask` passes the mask on only with
 * `returnSequences`.
 *
 * The input projection of all steps is one matMul; the recurrence and its
 * backward pass (BPTT) run in JavaScript on Float32Arrays (the per-step
 * product h·U through tf.matMul on wasm/tfjs-node, a blocked JS loop
 * elsewhere); the weight gradients are single matMuls over all B·T rows after
 * the loop (bias gradients are column sums in JS). Works on every backend (it only needs dataSync).
 * On wasm, with units a multiple of 4, the recurrence and its backward pass
 * run instead as compiled SIMD kernels on the backend's heap (fusedGruSimd.ts).
 */
export class FusedGru extends FusedRecurrentLayer {
  static className = 'PolyfuseFusedGru';

  constructor(args: FusedGruArgs) {
    super(args, 'FusedGru', 3);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { mask?: tf.Tensor | tf.Tensor[] } = {}): tf.Tensor {
    const [x] = inputList(inputs);
    this.checkShapes([x.shape]);
    return fusedGruOp(x, this.kernel.read(), this.recurrentKernel.read(), this.inputBias.read(), this.recurrentBias.read(), {
      mask: this.maskValues(x, kwargs),
      returnSequences: this.returnSequences,
      goBackwards: this.goBackwards,
      timeOrder: this.sequenceOrder === 'time',
    });
  }
}
tf.serialization.registerClass(FusedGru);

/** Builds a `FusedGru` layer (the `tf.layers.gru`-style factory). */
export function fusedGru(args: FusedGruArgs): FusedGru {
  return new FusedGru(args);
}

export interface GruOptions {
  /** `[B·T]` step mask (row-major [B, T]); non-zero = real step. */
  mask?: ArrayLike<number>;
  returnSequences: boolean;
  goBackwards: boolean;
  /** With goBackwards, write the sequence output in time order instead of processing order. */
  timeOrder?: boolean;
}

/**
 * The differentiable GRU: x [B, T, D], kernel [D, 3H], recurrentKernel
 * [H, 3H], biases [3H] → [B, H] or [B, T, H], with gradients for all five.
 */
export function fusedGruOp(x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, inputBias: tf.Tensor, recurrentBias: tf.Tensor, options: GruOptions): tf.Tensor {
  const [batch, steps, inputDim] = x.shape as [number, number, number];
  const units = recurrentKernel.shape[0] as number;
  const gates = 3 * units;
  const rows = batch * steps;
  const { mask, returnSequences, goBackwards, timeOrder = false } = options;
  const simd = units % 4 === 0 ? simdKernelsFor(currentWasmBackend(), 'FusedGru') : undefined;
  if (simd) return fusedGruSimdOp(x, kernel, recurrentKernel, inputBias, recurrentBias, options, simd);
  // The per-step product h·U [B, H] × [H, 3H]: through tf.matMul where the
  // backend's matMul is native (wasm XNNPACK, tfjs-node), else a blocked JS
  // loop (cpu, where tfjs' own matMul is slower JS; webgl/webgpu, where a GPU
  // round trip per step would cost more). Measured on W2's GRU (B 64, T 32,
  // D = H = 64), forward + backward CPU time: wasm 46-51 ms with tf.matMul vs
  // 66-69 ms with the JS loop; cpu backend 531 ms vs 275 ms.
  const kernelProduct = nativeMatMulBackends.has(tf.getBackend());
  const op = tf.customGrad((...args: (tf.Tensor | ((tensors: tf.Tensor[]) => void))[]) => {
    const [xIn, w, u, bi, bh] = args as tf.Tensor[];
    const save = args[5] as (tensors: tf.Tensor[]) => void;
    const x2d = tf.reshape(xIn!, [rows, inputDim]);
    const projection = tf.tidy(() => tf.add(tf.matMul(x2d, w!), bi!));
    const xp = projection.dataSync() as Float32Array;
    projection.dispose();
    const uData = u!.dataSync() as Float32Array;
    const bhData = bh!.dataSync() as Float32Array;
    const uTransposed = new Float32Array(kernelProduct ? 0 : gates * units);
    if (!kernelProduct) for (let k = 0; k < units; k++) for (let c = 0; c < gates; c++) uTransposed[c * units + k] = uData[k * gates + c]!;
    // Saved for the backward pass, indexed by (b·T + t) in original time order; back to the pool after it.
    // Masked steps leave them unwritten (the backward pass skips those rows).
    const rSaved = scratch.take(rows * units);
    const zSaved = scratch.take(rows * units);
    const nSaved = scratch.take(rows * units);
    const hnSaved = scratch.take(rows * units); // h·U_n + b_hn
    const hPrev = scratch.take(rows * units);
    const output = new Float32Array(returnSequences ? rows * units : batch * units);
    let h = new Float32Array(batch * units);
    let hNext = new Float32Array(batch * units);
    const hp = new Float32Array(batch * gates);
    for (let s = 0; s < steps; s++) {
      const t = goBackwards ? steps - 1 - s : s;
      if (s === 0) hp.fill(0);
      else if (kernelProduct) productInto(hp, h, [batch, units], u!);
      else dotRows(h, uTransposed, hp, batch, units, gates, false);
      for (let b = 0; b < batch; b++) {
        const row = b * steps + t;
        const hOff = b * units;
        const sOff = row * units;
        hPrev.set(h.subarray(hOff, hOff + units), sOff);
        if (mask && !mask[row]) {
          hNext.set(h.subarray(hOff, hOff + units), hOff);
        } else {
          const xOff = row * gates;
          const pOff = b * gates;
          for (let j = 0; j < units; j++) {
            const r = sigmoid(xp[xOff + j]! + hp[pOff + j]! + bhData[j]!);
            const z = sigmoid(xp[xOff + units + j]! + hp[pOff + units + j]! + bhData[units + j]!);
            const hn = hp[pOff + 2 * units + j]! + bhData[2 * units + j]!;
            const n = tanh(xp[xOff + 2 * units + j]! + r * hn);
            rSaved[sOff + j] = r;
            zSaved[sOff + j] = z;
            nSaved[sOff + j] = n;
            hnSaved[sOff + j] = hn;
            hNext[hOff + j] = (1 - z) * n + z * h[hOff + j]!;
          }
        }
        if (returnSequences) output.set(hNext.subarray(hOff, hOff + units), (b * steps + (timeOrder ? t : s)) * units);
      }
      [h, hNext] = [hNext, h];
    }
    if (!returnSequences) output.set(h);
    save([x2d, w!, u!]);

    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
      const dyData = (Array.isArray(dy) ? dy[0]! : dy).dataSync() as Float32Array;
      const [xSaved, wSaved, uSaved] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const dInput = scratch.take(rows * gates, true); // d(x·W + b_i), rows b·T + t
      const dRecurrent = scratch.take(rows * gates, true); // d(h·U + b_h), rows b·T + t
      const back = new Float32Array(batch * units);
      // Uᵀ once, not a transposed product per step.
      const uTransposedT = kernelProduct ? tf.transpose(uSaved!) : undefined;
      let dh = new Float32Array(batch * units);
      let dhPrev = new Float32Array(batch * units);
      const stepGrad = new Float32Array(batch * gates);
      if (!returnSequences) dh.set(dyData);
      for (let s = steps - 1; s >= 0; s--) {
        const t = goBackwards ? steps - 1 - s : s;
        for (let b = 0; b < batch; b++) {
          const hOff = b * units;
          const row = b * steps + t;
          if (returnSequences) {
            const yOff = (b * steps + (timeOrder ? t : s)) * units;
            for (let j = 0; j < units; j++) dh[hOff + j]! += dyData[yOff + j]!;
          }
          const gOff = b * gates;
          if (mask && !mask[row]) {
            stepGrad.fill(0, gOff, gOff + gates);
            dhPrev.set(dh.subarray(hOff, hOff + units), hOff);
            continue;
          }
          const sOff = row * units;
          const xOff = row * gates;
          for (let j = 0; j < units; j++) {
            const g = dh[hOff + j]!;
            const r = rSaved[sOff + j]!;
            const z = zSaved[sOff + j]!;
            const n = nSaved[sOff + j]!;
            const dn = g * (1 - z) * (1 - n * n);
            const dz = g * (hPrev[sOff + j]! - n) * z * (1 - z);
            const dr = dn * hnSaved[sOff + j]! * r * (1 - r);
            dInput[xOff + j] = dr;
            dInput[xOff + units + j] = dz;
            dInput[xOff + 2 * units + j] = dn;
            stepGrad[gOff + j] = dr;
            stepGrad[gOff + units + j] = dz;
            stepGrad[gOff + 2 * units + j] = dn * r;
            dhPrev[hOff + j] = g * z;
          }
          dRecurrent.set(stepGrad.subarray(gOff, gOff + gates), xOff);
        }
        if (s > 0 && kernelProduct) {
          productInto(back, stepGrad, [batch, gates], uTransposedT!);
          for (let i = 0; i < back.length; i++) dhPrev[i]! += back[i]!;
        } else if (s > 0) dotRows(stepGrad, uData, dhPrev, batch, gates, units, true);
        [dh, dhPrev] = [dhPrev, dh];
      }
      uTransposedT?.dispose();
      const grads = tf.tidy(() => {
        const dInputT = tf.tensor2d(dInput, [rows, gates]);
        const dRecurrentT = tf.tensor2d(dRecurrent, [rows, gates]);
        const hPrevT = tf.tensor2d(hPrev, [rows, units]);
        return [
          tf.reshape(tf.matMul(dInputT, wSaved, false, true), [batch, steps, inputDim]),
          tf.matMul(xSaved, dInputT, true, false),
          tf.matMul(hPrevT, dRecurrentT, true, false),
          tf.tensor1d(columnSums(dInput, rows, gates)),
          tf.tensor1d(columnSums(dRecurrent, rows, gates)),
        ];
      });
      scratch.give(rSaved, zSaved, nSaved, hnSaved, hPrev, dInput, dRecurrent);
      return grads;
    };
    const shape = returnSequences ? [batch, steps, units] : [batch, units];
    return { value: tf.tensor(output, shape, 'float32'), gradFunc };
  });
  return op(x, kernel, recurrentKernel, inputBias, recurrentBias) as tf.Tensor;
}
