import { tf } from '../tf.js';
import { ConfigError, InputError, formatShape } from '../errors/errors.js';
import { shapeList, type LayerArgs, type LayerShape } from './layerArgs.js';

/** Options of core's fused recurrent layers (`FusedGru`, `FusedLstm`). */
export interface FusedRecurrentArgs extends LayerArgs {
  /** State size H. */
  units: number;
  /** Return every state `[B, T, H]` instead of the last `[B, H]`. Default false. */
  returnSequences?: boolean;
  /** Process steps T-1 … 0. Default false. */
  goBackwards?: boolean;
  /**
   * Order of the sequence output with `goBackwards`: `processing` (step T-1
   * first, what tfjs-layers' RNN returns) or `time` (reversed back, what
   * tf.layers.bidirectional does to its backward layer). Default `processing`.
   */
  sequenceOrder?: 'processing' | 'time';
  /**
   * Run every step whatever mask reaches the layer, and pass none on.
   * Default false. For inputs that are never padded (a signal, a decoder's
   * tokens): tfjs-layers' graph executor (`LayersModel.apply`, `predict`,
   * `fit`) hands a layer whose inputs carry no mask the mask of the last
   * masked layer it ran (its executor keeps one `kwargs` for every layer), so
   * such a layer after a masked text encoder would mask its steps with the
   * text's padding, or fail on the mask's shape.
   */
  ignoreMask?: boolean;
}

/**
 * What `FusedGru` and `FusedLstm` share: their options and checks, weights
 * (`kernel` [D, G·H], `recurrent_kernel` [H, G·H], `input_bias` and
 * `recurrent_bias` [G·H] for G gates), output shape, mask handling (a
 * `[B, T]` mask is passed on only with `returnSequences`) and config. Each
 * subclass runs its own op in `call`.
 */
export abstract class FusedRecurrentLayer extends tf.layers.Layer {
  readonly units: number;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  readonly sequenceOrder: 'processing' | 'time';
  readonly ignoreMask: boolean;
  protected kernel!: tf.LayerVariable;
  protected recurrentKernel!: tf.LayerVariable;
  protected inputBias!: tf.LayerVariable;
  protected recurrentBias!: tf.LayerVariable;

  /** `kind` names the layer in errors; `gateCount` is G (GRU 3, LSTM 4). */
  constructor(args: FusedRecurrentArgs, protected readonly kind: string, private readonly gateCount: number) {
    super(args);
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new ConfigError(`${kind}: units must be a positive integer, got ${args.units}.`);
    }
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.sequenceOrder = args.sequenceOrder ?? 'processing';
    if (this.sequenceOrder !== 'processing' && this.sequenceOrder !== 'time') {
      throw new ConfigError(`${kind}: sequenceOrder must be 'processing' or 'time', got ${JSON.stringify(args.sequenceOrder)}.`);
    }
    this.ignoreMask = args.ignoreMask ?? false;
    this.supportsMasking = true;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const inputDim = this.checkShapes(shapeList(inputShape));
    const gates = this.gateCount * this.units;
    this.kernel = this.addWeight('kernel', [inputDim, gates], 'float32', tf.initializers.glorotNormal({}));
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, gates], 'float32', tf.initializers.orthogonal({}));
    this.inputBias = this.addWeight('input_bias', [gates], 'float32', tf.initializers.zeros());
    this.recurrentBias = this.addWeight('recurrent_bias', [gates], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shapes = shapeList(inputShape);
    this.checkShapes(shapes);
    const [shape] = shapes;
    return this.returnSequences ? [shape[0], shape[1], this.units] : [shape[0], this.units];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const first = Array.isArray(mask) ? mask[0] : mask;
    // tfjs' own signature says Tensor, but null (= no mask) is what RNN layers return without returnSequences.
    return (this.returnSequences && !this.ignoreMask && first ? first : null) as unknown as tf.Tensor;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, returnSequences: this.returnSequences, goBackwards: this.goBackwards, sequenceOrder: this.sequenceOrder, ignoreMask: this.ignoreMask };
  }

  /** The `[B, T]` mask of this call as the ops take it (1 = real step), or undefined (none, or `ignoreMask`); throws on a wrong shape. */
  protected maskValues(x: tf.Tensor, kwargs: { mask?: tf.Tensor | tf.Tensor[] }): ArrayLike<number> | undefined {
    const mask = this.ignoreMask ? undefined : Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask;
    if (mask && (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1])) {
      throw new InputError(`${this.kind} '${this.name}': mask must be [batch, time] = ${formatShape(x.shape.slice(0, 2))}, got ${formatShape(mask.shape)}.`);
    }
    return mask ? mask.dataSync() : undefined;
  }

  /** The input dimension D of the first shape, `[B, T, D]`; throws on anything else. Subclasses check further inputs. */
  protected checkShapes(shapes: readonly (readonly (number | null)[])[]): number {
    const shape = shapes[0]!;
    const inputDim = shape[2];
    if (shape.length !== 3 || !(typeof inputDim === 'number' && inputDim > 0)) {
      throw new InputError(`${this.kind} '${this.name}': input must be [batch, time, features] with known features, got ${formatShape(shape)}.`);
    }
    return inputDim;
  }
}
