import { tf } from '../tf.js';
import { ConfigError, InputError, formatShape } from '../errors/errors.js';
import { inputList, shapeList, type LayerArgs, type LayerShape } from './layerArgs.js';

export interface FusedGruArgs extends LayerArgs {
  /** State size H. */
  units: number;
  /** Return every state `[B, T, H]` instead of the last `[B, H]`. Default false. */
  returnSequences?: boolean;
  /** Process steps T-1 … 0 (the sequence output stays in processing order, as in tfjs-layers). Default false. */
  goBackwards?: boolean;
}

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
 * RNN, returns the sequence in processing order (not reversed back).
 * Masking follows tfjs-layers' RNN exactly: a `[B, T]` mask (from e.g.
 * `embedding({ maskZero: true })`, any non-zero = real step) carries the state
 * unchanged through masked steps, and the sequence output at a masked step is
 * that carried state; `computeMask` passes the mask on only with
 * `returnSequences`.
 *
 * The input projection of all steps is one matMul; the recurrence and its
 * backward pass (BPTT) run in JavaScript on Float32Arrays with the per-step
 * product h·U in a tight loop; the weight gradients are single matMuls over
 * all B·T rows after the loop. Works on every backend (it only needs dataSync).
 */
export class FusedGru extends tf.layers.Layer {
  static className = 'PolyfuseFusedGru';
  readonly units: number;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  private kernel!: tf.LayerVariable;
  private recurrentKernel!: tf.LayerVariable;
  private inputBias!: tf.LayerVariable;
  private recurrentBias!: tf.LayerVariable;

  constructor(args: FusedGruArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new ConfigError(`FusedGru: units must be a positive integer, got ${args.units}.`);
    }
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const [shape] = shapeList(inputShape);
    const inputDim = this.checkShape(shape);
    const gates = 3 * this.units;
    this.kernel = this.addWeight('kernel', [inputDim, gates], 'float32', tf.initializers.glorotNormal({}));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, gates], 'float32', tf.initializers.orthogonal({}));
    this.inputBias = this.addWeight('input_bias', [gates], 'float32', tf.initializers.zeros());
    this.recurrentBias = this.addWeight('recurrent_bias', [gates], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [shape] = shapeList(inputShape);
    this.checkShape(shape);
    return this.returnSequences ? [shape[0], shape[1], this.units] : [shape[0], this.units];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const first = Array.isArray(mask) ? mask[0] : mask;
    // tfjs' own signature says Tensor, but null (= no mask) is what RNN layers return without returnSequences.
    return (this.returnSequences && first ? first : null) as unknown as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { mask?: tf.Tensor | tf.Tensor[] } = {}): tf.Tensor {
    const [x] = inputList(inputs);
    this.checkShape(x.shape);
    const mask = Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask;
    if (mask && (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1])) {
      throw new InputError(`FusedGru '${this.name}': mask must be [batch, time] = ${formatShape(x.shape.slice(0, 2))}, got ${formatShape(mask.shape)}.`);
    }
    return fusedGruOp(x, this.kernel.read(), this.recurrentKernel.read(), this.inputBias.read(), this.recurrentBias.read(), {
      mask: mask ? mask.dataSync() : undefined,
      returnSequences: this.returnSequences,
      goBackwards: this.goBackwards,
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, returnSequences: this.returnSequences, goBackwards: this.goBackwards };
  }

  /** The input dimension D of a `[B, T, D]` shape; throws on anything else. */
  private checkShape(shape: readonly (number | null)[]): number {
    const inputDim = shape[2];
    if (shape.length !== 3 || !(typeof inputDim === 'number' && inputDim > 0)) {
      throw new InputError(`FusedGru '${this.name}': input must be [batch, time, features] with known features, got ${formatShape(shape)}.`);
    }
    return inputDim;
  }
}
tf.serialization.registerClass(FusedGru);

/** Builds a `FusedGru` layer (the `tf.layers.gru`-style factory). */
export function fusedGru(args: FusedGruArgs): FusedGru {
  return new FusedGru(args);
}

interface GruOptions {
  /** `[B·T]` step mask (row-major [B, T]); non-zero = real step. */
  mask?: ArrayLike<number>;
  returnSequences: boolean;
  goBackwards: boolean;
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
  const { mask, returnSequences, goBackwards } = options;
  const op = tf.customGrad((...args: (tf.Tensor | ((tensors: tf.Tensor[]) => void))[]) => {
    const [xIn, w, u, bi, bh] = args as tf.Tensor[];
    const save = args[5] as (tensors: tf.Tensor[]) => void;
    const x2d = tf.reshape(xIn!, [rows, inputDim]);
    const projection = tf.tidy(() => tf.add(tf.matMul(x2d, w!), bi!));
    const xp = projection.dataSync() as Float32Array;
    projection.dispose();
    const uData = u!.dataSync() as Float32Array;
    const bhData = bh!.dataSync() as Float32Array;
    // Saved for the backward pass, indexed by (b·T + t) in original time order.
    const rSaved = new Float32Array(rows * units);
    const zSaved = new Float32Array(rows * units);
    const nSaved = new Float32Array(rows * units);
    const hnSaved = new Float32Array(rows * units); // h·U_n + b_hn
    const hPrev = new Float32Array(rows * units);
    const output = new Float32Array(returnSequences ? rows * units : batch * units);
    let h = new Float32Array(batch * units);
    let hNext = new Float32Array(batch * units);
    const hp = new Float32Array(batch * gates);
    for (let s = 0; s < steps; s++) {
      const t = goBackwards ? steps - 1 - s : s;
      if (s === 0) hp.fill(0);
      else matMulInto(h, uData, hp, batch, units, gates);
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
            const n = Math.tanh(xp[xOff + 2 * units + j]! + r * hn);
            rSaved[sOff + j] = r;
            zSaved[sOff + j] = z;
            nSaved[sOff + j] = n;
            hnSaved[sOff + j] = hn;
            hNext[hOff + j] = (1 - z) * n + z * h[hOff + j]!;
          }
        }
        if (returnSequences) output.set(hNext.subarray(hOff, hOff + units), (b * steps + s) * units);
      }
      [h, hNext] = [hNext, h];
    }
    if (!returnSequences) output.set(h);
    save([x2d, w!]);

    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] => {
      const dyData = (Array.isArray(dy) ? dy[0]! : dy).dataSync() as Float32Array;
      const [xSaved, wSaved] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dInput = new Float32Array(rows * gates); // d(x·W + b_i), rows b·T + t
      const dRecurrent = new Float32Array(rows * gates); // d(h·U + b_h), rows b·T + t
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
            const yOff = (b * steps + s) * units;
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
        if (s > 0) matMulTransposedAdd(stepGrad, uData, dhPrev, batch, units, gates);
        [dh, dhPrev] = [dhPrev, dh];
      }
      return tf.tidy(() => {
        const dInputT = tf.tensor2d(dInput, [rows, gates]);
        const dRecurrentT = tf.tensor2d(dRecurrent, [rows, gates]);
        const hPrevT = tf.tensor2d(hPrev, [rows, units]);
        return [
          tf.reshape(tf.matMul(dInputT, wSaved, false, true), [batch, steps, inputDim]),
          tf.matMul(xSaved, dInputT, true, false),
          tf.matMul(hPrevT, dRecurrentT, true, false),
          tf.sum(dInputT, 0),
          tf.sum(dRecurrentT, 0),
        ];
      });
    };
    const shape = returnSequences ? [batch, steps, units] : [batch, units];
    return { value: tf.tensor(output, shape, 'float32'), gradFunc };
  });
  return op(x, kernel, recurrentKernel, inputBias, recurrentBias) as tf.Tensor;
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/** out[B, N] = a[B, K] · m[K, N] (row-major Float32Arrays). */
function matMulInto(a: Float32Array, m: Float32Array, out: Float32Array, rowsA: number, inner: number, cols: number): void {
  out.fill(0);
  for (let i = 0; i < rowsA; i++) {
    const oOff = i * cols;
    for (let k = 0; k < inner; k++) {
      const v = a[i * inner + k]!;
      if (v === 0) continue;
      const mOff = k * cols;
      for (let j = 0; j < cols; j++) out[oOff + j]! += v * m[mOff + j]!;
    }
  }
}

/** out[B, K] += g[B, N] · m[K, N]ᵀ (row-major Float32Arrays). */
function matMulTransposedAdd(g: Float32Array, m: Float32Array, out: Float32Array, rowsG: number, inner: number, cols: number): void {
  for (let i = 0; i < rowsG; i++) {
    const gOff = i * cols;
    for (let k = 0; k < inner; k++) {
      const mOff = k * cols;
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += g[gOff + j]! * m[mOff + j]!;
      out[i * inner + k]! += sum;
    }
  }
}
