import { tf } from '../tf.js';
import { InputError, formatShape } from '../errors/errors.js';
import { inputList } from './layerArgs.js';
import { FusedRecurrentLayer, type FusedRecurrentArgs } from './fusedRecurrentLayer.js';
import { Float32Pool } from './float32Pool.js';
import { currentWasmBackend, simdKernelsFor } from '../backend/wasm-gradients/simdKernels.js';
import { fusedLstmSimdOp } from './fusedLstmSimd.js';
import { columnSums, dotRows, nativeMatMulBackends, productInto, sigmoid, tanh } from './recurrentMath.js';

/** Scratch arrays of every FusedLstm call, reused from step to step. */
const scratch = new Float32Pool();

/** Options of `FusedLstm` (see `FusedRecurrentArgs`; units is the size of both h and c). */
export type FusedLstmArgs = FusedRecurrentArgs;

/** Call arguments of `FusedLstm.apply`: tf.layers.lstm's `initialState` and `mask`. */
export interface FusedLstmCallArgs {
  /** `[h0, c0]`, each `[B, H]`; zeros when absent. Same as passing `[x, h0, c0]` as the inputs. */
  initialState?: tf.Tensor[] | tf.SymbolicTensor[];
  mask?: tf.Tensor | tf.Tensor[];
  training?: boolean;
}

/**
 * An LSTM layer with PyTorch's `torch.nn.LSTM` semantics (logistic sigmoid
 * gates, tanh cell and output activations, gate order i, f, g, o, no
 * peepholes), run as ONE custom-gradient op instead of tfjs-layers' ~15
 * small kernels per step:
 *
 *   i  = σ(x·W_i + b_ii + h·U_i + b_hi)
 *   f  = σ(x·W_f + b_if + h·U_f + b_hf)
 *   g  = tanh(x·W_g + b_ig + h·U_g + b_hg)
 *   o  = σ(x·W_o + b_io + h·U_o + b_ho)
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ tanh(c'),   h₀ = c₀ = 0 unless an initial state is given
 *
 * Weights (columns in gate order i | f | g | o, each H wide):
 * `kernel` [D, 4H], `recurrentKernel` [H, 4H], `inputBias` [4H],
 * `recurrentBias` [4H]. From torch: kernel = weight_ih_l0ᵀ,
 * recurrentKernel = weight_hh_l0ᵀ, inputBias = bias_ih_l0,
 * recurrentBias = bias_hh_l0. (tf.layers.lstm has the same gate order and
 * kernel layout but one bias, and hard-sigmoid gates by default; its
 * `bias` is inputBias + recurrentBias.)
 *
 * Initialisers are tf.layers.lstm's defaults: glorotNormal kernel, orthogonal
 * recurrent kernel, zero biases (no unit forget bias, which tfjs also leaves
 * off by default).
 *
 * Input `[B, T, D]` → last state h `[B, H]`, or with `returnSequences` every
 * h `[B, T, H]`. An initial state `[h0, c0]` (each `[B, H]`, e.g. from a
 * context, as in a captioning decoder) comes as tf.layers.lstm's
 * `apply(x, { initialState: [h0, c0] })` or as the inputs `[x, h0, c0]`;
 * gradients flow into both. `goBackwards` processes T-1 … 0 and, like
 * tfjs-layers' RNN, returns the sequence in processing order (not reversed
 * back) unless `sequenceOrder: 'time'`.
 * Masking follows tfjs-layers' RNN exactly: a `[B, T]` mask (from e.g.
 * `embedding({ maskZero: true })`, any non-zero = real step) carries h and c
 * unchanged through masked steps, and the sequence output at a masked step is
 * that carried h; `computeMask` passes the mask on only with
 * `returnSequences`. `ignoreMask` turns masking off (see there why a decoder
 * needs that).
 *
 * The input projection of all steps is one matMul (bias fused); the
 * recurrence and its backward pass (BPTT) run in JavaScript on Float32Arrays
 * (the per-step product h·U through tf.matMul on wasm/tfjs-node, a blocked JS
 * loop elsewhere); the weight gradients are single matMuls over all B·T rows after
 * the loop (both biases get the same gradient, a column sum in JS). Works on
 * every backend (it only needs dataSync).
 * On wasm, with units a multiple of 4, the recurrence and its backward pass
 * run instead as compiled SIMD kernels on the backend's heap (fusedLstmSimd.ts).
 */
export class FusedLstm extends FusedRecurrentLayer {
  static className = 'PolyfuseFusedLstm';
  constructor(args: FusedLstmArgs) {
    super(args, 'FusedLstm', 4);
  }

  /** As tf.layers.lstm: `kwargs.initialState` `[h0, c0]` joins the inputs (so a saved model records it as two more inbound tensors). */
  override apply(inputs: tf.Tensor | tf.Tensor[], kwargs?: FusedLstmCallArgs): tf.Tensor | tf.Tensor[];
  override apply(inputs: tf.SymbolicTensor | tf.SymbolicTensor[], kwargs?: FusedLstmCallArgs): tf.SymbolicTensor | tf.SymbolicTensor[];
  override apply(
    inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[],
    kwargs: FusedLstmCallArgs = {},
  ): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    const { initialState, ...rest } = kwargs;
    if (!initialState) return super.apply(inputs, rest);
    if (Array.isArray(inputs) && inputs.length > 1) {
      throw new InputError(`FusedLstm '${this.name}': give the initial state either as initialState or as the inputs [x, h0, c0], not both.`);
    }
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return super.apply([x, ...initialState] as tf.Tensor[], rest);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { mask?: tf.Tensor | tf.Tensor[] } = {}): tf.Tensor {
    const [x, h0, c0] = inputList(inputs) as [tf.Tensor, tf.Tensor?, tf.Tensor?];
    this.checkShapes([x.shape, ...(h0 ? [h0.shape] : []), ...(c0 ? [c0.shape] : [])]);
    return fusedLstmOp(x, this.kernel.read(), this.recurrentKernel.read(), this.inputBias.read(), this.recurrentBias.read(), {
      mask: this.maskValues(x, kwargs),
      initialState: h0 && c0 ? [h0, c0] : undefined,
      returnSequences: this.returnSequences,
      goBackwards: this.goBackwards,
      timeOrder: this.sequenceOrder === 'time',
    });
  }

  /** The input dimension D of `[B, T, D]` (and `[B, H]` initial states, if any); throws on anything else. */
  protected override checkShapes(shapes: readonly (readonly (number | null)[])[]): number {
    const inputDim = super.checkShapes(shapes);
    const [shape, ...states] = shapes as [readonly (number | null)[], ...(readonly (number | null)[])[]];
    if (states.length !== 0 && states.length !== 2) {
      throw new InputError(`FusedLstm '${this.name}': the initial state is [h0, c0], got ${states.length} tensor${states.length === 1 ? '' : 's'}.`);
    }
    for (const state of states) {
      if (state.length !== 2 || state[1] !== this.units || (state[0] !== null && shape[0] !== null && state[0] !== shape[0])) {
        throw new InputError(`FusedLstm '${this.name}': initial states must be [batch, units] = ${formatShape([shape[0], this.units])}, got ${formatShape(state)}.`);
      }
    }
    return inputDim;
  }
}
tf.serialization.registerClass(FusedLstm);

/** Builds a `FusedLstm` layer (the `tf.layers.lstm`-style factory). */
export function fusedLstm(args: FusedLstmArgs): FusedLstm {
  return new FusedLstm(args);
}

export interface LstmOptions {
  /** `[B·T]` step mask (row-major [B, T]); non-zero = real step. */
  mask?: ArrayLike<number>;
  /** `[h0, c0]`, each `[B, H]`; zeros when absent. Both get gradients. */
  initialState?: [tf.Tensor, tf.Tensor];
  returnSequences: boolean;
  goBackwards: boolean;
  /** With goBackwards, write the sequence output in time order instead of processing order. */
  timeOrder?: boolean;
}

/**
 * The differentiable LSTM: x [B, T, D], kernel [D, 4H], recurrentKernel
 * [H, 4H], biases [4H] (and optionally h0, c0 [B, H]) → h [B, H] or
 * [B, T, H], with gradients for every input.
 */
export function fusedLstmOp(x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, inputBias: tf.Tensor, recurrentBias: tf.Tensor, options: LstmOptions): tf.Tensor {
  const [batch, steps, inputDim] = x.shape as [number, number, number];
  const units = recurrentKernel.shape[0] as number;
  const gates = 4 * units;
  const rows = batch * steps;
  const { mask, initialState, returnSequences, goBackwards, timeOrder = false } = options;
  const simd = units % 4 === 0 ? simdKernelsFor(currentWasmBackend(), 'FusedLstm') : undefined;
  if (simd) return fusedLstmSimdOp(x, kernel, recurrentKernel, inputBias, recurrentBias, options, simd);
  // The per-step product h·U [B, H] × [H, 4H]: through tf.matMul where the
  // backend's matMul is native, else a blocked JS loop (as FusedGru, measured there).
  const kernelProduct = nativeMatMulBackends.has(tf.getBackend());
  const op = tf.customGrad((...args: (tf.Tensor | ((tensors: tf.Tensor[]) => void))[]) => {
    const [xIn, w, u, bi, bh, h0, c0] = args.slice(0, -1) as tf.Tensor[];
    const save = args[args.length - 1] as (tensors: tf.Tensor[]) => void;
    const x2d = tf.reshape(xIn!, [rows, inputDim]);
    // One fused matMul with the bias: the same values as matMul then add, without a pass over [B·T, 4H].
    const projection = tf.fused.matMul({ a: x2d as tf.Tensor2D, b: w as tf.Tensor2D, bias: bi });
    const xp = projection.dataSync() as Float32Array;
    projection.dispose();
    const uData = u!.dataSync() as Float32Array;
    const bhData = bh!.dataSync() as Float32Array;
    const uTransposed = new Float32Array(kernelProduct ? 0 : gates * units);
    if (!kernelProduct) for (let k = 0; k < units; k++) for (let c = 0; c < gates; c++) uTransposed[c * units + k] = uData[k * gates + c]!;
    // Saved for the backward pass, indexed by (b·T + t) in original time order; back to the pool after it.
    // Masked steps leave all but hPrev unwritten (the backward pass skips those rows; hPrev feeds a matMul).
    const gateSaved = scratch.take(rows * gates); // i, f, g, o after their activations
    const cPrev = scratch.take(rows * units);
    const tanhC = scratch.take(rows * units); // tanh(c')
    const hPrev = scratch.take(rows * units);
    const output = new Float32Array(returnSequences ? rows * units : batch * units);
    // h and c are updated in place: each step's h·U is taken before the gates read h.
    const h = h0 ? Float32Array.from(h0.dataSync() as Float32Array) : new Float32Array(batch * units);
    const c = c0 ? Float32Array.from(c0.dataSync() as Float32Array) : new Float32Array(batch * units);
    const hp = new Float32Array(batch * gates);
    for (let s = 0; s < steps; s++) {
      const t = goBackwards ? steps - 1 - s : s;
      if (s === 0 && !h0) hp.fill(0);
      else if (kernelProduct) productInto(hp, h, [batch, units], u!);
      else dotRows(h, uTransposed, hp, batch, units, gates, false);
      for (let b = 0; b < batch; b++) {
        const row = b * steps + t;
        const hOff = b * units;
        const sOff = row * units;
        hPrev.set(h.subarray(hOff, hOff + units), sOff);
        if (!mask || mask[row]) {
          cPrev.set(c.subarray(hOff, hOff + units), sOff);
          const xOff = row * gates;
          const pOff = b * gates;
          for (let j = 0; j < units; j++) {
            const i = sigmoid(xp[xOff + j]! + hp[pOff + j]! + bhData[j]!);
            const f = sigmoid(xp[xOff + units + j]! + hp[pOff + units + j]! + bhData[units + j]!);
            const g = tanh(xp[xOff + 2 * units + j]! + hp[pOff + 2 * units + j]! + bhData[2 * units + j]!);
            const o = sigmoid(xp[xOff + 3 * units + j]! + hp[pOff + 3 * units + j]! + bhData[3 * units + j]!);
            const cNext = f * c[hOff + j]! + i * g;
            const tc = tanh(cNext);
            gateSaved[xOff + j] = i;
            gateSaved[xOff + units + j] = f;
            gateSaved[xOff + 2 * units + j] = g;
            gateSaved[xOff + 3 * units + j] = o;
            tanhC[sOff + j] = tc;
            c[hOff + j] = cNext;
            h[hOff + j] = o * tc;
          }
        }
        if (returnSequences) output.set(h.subarray(hOff, hOff + units), (b * steps + (timeOrder ? t : s)) * units);
      }
    }
    if (!returnSequences) output.set(h);
    save([x2d, w!, u!]);

    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
      const dyData = (Array.isArray(dy) ? dy[0]! : dy).dataSync() as Float32Array;
      const [xSaved, wSaved, uSaved] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      // d(x·W + b_i + h·U + b_h), rows b·T + t: the gradient of both products and both biases.
      const dGates = scratch.take(rows * gates, true);
      const back = new Float32Array(batch * units);
      // Uᵀ once, not a transposed product per step.
      const uTransposedT = kernelProduct ? tf.transpose(uSaved!) : undefined;
      // dh and dc are updated in place, like h and c: at the end they are d h0 and d c0.
      const dh = new Float32Array(batch * units);
      const dc = new Float32Array(batch * units);
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
            stepGrad.fill(0, gOff, gOff + gates); // h and c were carried: so are dh and dc
            continue;
          }
          const sOff = row * units;
          const xOff = row * gates;
          for (let j = 0; j < units; j++) {
            const i = gateSaved[xOff + j]!;
            const f = gateSaved[xOff + units + j]!;
            const g = gateSaved[xOff + 2 * units + j]!;
            const o = gateSaved[xOff + 3 * units + j]!;
            const tc = tanhC[sOff + j]!;
            const dhj = dh[hOff + j]!;
            const dcTotal = dc[hOff + j]! + dhj * o * (1 - tc * tc);
            const di = dcTotal * g * i * (1 - i);
            const df = dcTotal * cPrev[sOff + j]! * f * (1 - f);
            const dg = dcTotal * i * (1 - g * g);
            const dout = dhj * tc * o * (1 - o);
            dGates[xOff + j] = stepGrad[gOff + j] = di;
            dGates[xOff + units + j] = stepGrad[gOff + units + j] = df;
            dGates[xOff + 2 * units + j] = stepGrad[gOff + 2 * units + j] = dg;
            dGates[xOff + 3 * units + j] = stepGrad[gOff + 3 * units + j] = dout;
            dc[hOff + j] = dcTotal * f;
            dh[hOff + j] = 0; // its part through h·U is added below
          }
        }
        if (s === 0 && !h0) break; // a zero initial state needs no gradient
        if (kernelProduct) {
          productInto(back, stepGrad, [batch, gates], uTransposedT!);
          for (let k = 0; k < back.length; k++) dh[k]! += back[k]!;
        } else dotRows(stepGrad, uData, dh, batch, gates, units, true);
      }
      uTransposedT?.dispose();
      const grads = tf.tidy(() => {
        const dGatesT = tf.tensor2d(dGates, [rows, gates]);
        const hPrevT = tf.tensor2d(hPrev, [rows, units]);
        const biasGrad = columnSums(dGates, rows, gates);
        return [
          tf.reshape(tf.matMul(dGatesT, wSaved, false, true), [batch, steps, inputDim]),
          tf.matMul(xSaved, dGatesT, true, false),
          tf.matMul(hPrevT, dGatesT, true, false),
          tf.tensor1d(biasGrad),
          tf.tensor1d(biasGrad.slice()),
          ...(h0 ? [tf.tensor2d(dh, [batch, units]), tf.tensor2d(dc, [batch, units])] : []),
        ];
      });
      scratch.give(gateSaved, cPrev, tanhC, hPrev, dGates);
      return grads;
    };
    const shape = returnSequences ? [batch, steps, units] : [batch, units];
    return { value: tf.tensor(output, shape, 'float32'), gradFunc };
  });
  return op(x, kernel, recurrentKernel, inputBias, recurrentBias, ...(initialState ?? [])) as tf.Tensor;
}
