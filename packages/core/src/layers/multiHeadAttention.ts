import { tf } from '../tf.js';
import { ConfigError, InputError, formatShape } from '../errors/errors.js';
import { inputList, shapeList, type LayerArgs, type LayerShape } from './layerArgs.js';

export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Number of attention heads. */
  numHeads: number;
  /** Size of each head's query/key/value projection. */
  keyDim: number;
  /** Output size; defaults to the query's last dimension. */
  outputDim?: number;
  /** When true, position i attends only to positions <= i (decoder self-attention). */
  causal?: boolean;
}

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017), the layer
 * tfjs-layers lacks; semantics follow Keras' `MultiHeadAttention`.
 *
 * Called as `layer.apply([query, value])` or `layer.apply([query, value, keyMask])`:
 * query `[B, Tq, Dq]`, value (also used as key) `[B, Tk, Dv]`, keyMask `[B, Tk]`
 * with 1 for real positions and 0 for padding. Masked keys get a score of
 * -1e9 before the softmax, so padded positions receive no attention. Output
 * `[B, Tq, outputDim]`. Self-attention passes the same tensor as query and value.
 */
export class MultiHeadAttention extends tf.layers.Layer {
  static className = 'PolyfuseMultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly outputDim?: number;
  readonly causal: boolean;
  private queryKernel!: tf.LayerVariable;
  private queryBias!: tf.LayerVariable;
  private keyKernel!: tf.LayerVariable;
  private keyBias!: tf.LayerVariable;
  private valueKernel!: tf.LayerVariable;
  private valueBias!: tf.LayerVariable;
  private outputKernel!: tf.LayerVariable;
  private outputBias!: tf.LayerVariable;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    if (!Number.isInteger(args.numHeads) || args.numHeads < 1) {
      throw new ConfigError(`MultiHeadAttention: numHeads must be a positive integer, got ${args.numHeads}.`);
    }
    if (!Number.isInteger(args.keyDim) || args.keyDim < 1) {
      throw new ConfigError(`MultiHeadAttention: keyDim must be a positive integer, got ${args.keyDim}.`);
    }
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim;
    this.outputDim = args.outputDim;
    this.causal = args.causal ?? false;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const [queryShape, valueShape = queryShape] = shapeList(inputShape);
    const queryDim = queryShape[queryShape.length - 1] as number;
    const valueDim = valueShape[valueShape.length - 1] as number;
    const inner = this.numHeads * this.keyDim;
    const init = () => tf.initializers.glorotUniform({});
    const zeros = () => tf.initializers.zeros();
    this.queryKernel = this.addWeight('query_kernel', [queryDim, inner], 'float32', init());
    this.queryBias = this.addWeight('query_bias', [inner], 'float32', zeros());
    this.keyKernel = this.addWeight('key_kernel', [valueDim, inner], 'float32', init());
    this.keyBias = this.addWeight('key_bias', [inner], 'float32', zeros());
    this.valueKernel = this.addWeight('value_kernel', [valueDim, inner], 'float32', init());
    this.valueBias = this.addWeight('value_bias', [inner], 'float32', zeros());
    this.outputKernel = this.addWeight('output_kernel', [inner, this.outputDim ?? queryDim], 'float32', init());
    this.outputBias = this.addWeight('output_bias', [this.outputDim ?? queryDim], 'float32', zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [queryShape] = shapeList(inputShape);
    return [...queryShape.slice(0, -1), this.outputDim ?? queryShape[queryShape.length - 1]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [query, value = query, keyMask] = inputList(inputs);
      if (query.rank !== 3 || value.rank !== 3) {
        throw new InputError(`MultiHeadAttention '${this.name}': query and value must be [batch, time, features], got ${formatShape(query.shape)} and ${formatShape(value.shape)}.`);
      }
      const batch = query.shape[0] as number;
      const queryLength = query.shape[1] as number;
      const keyLength = value.shape[1] as number;
      const heads = this.numHeads;
      const headDim = this.keyDim;
      const project = (x: tf.Tensor, kernel: tf.LayerVariable, bias: tf.LayerVariable, length: number) =>
        tf
          .add(tf.matMul(tf.reshape(x, [-1, x.shape[2] as number]), kernel.read()), bias.read())
          .reshape([batch, length, heads, headDim])
          .transpose([0, 2, 1, 3]);
      const q = project(query, this.queryKernel, this.queryBias, queryLength);
      const k = project(value, this.keyKernel, this.keyBias, keyLength);
      const v = project(value, this.valueKernel, this.valueBias, keyLength);
      let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(headDim)); // [B, H, Tq, Tk]
      if (keyMask) {
        if (keyMask.rank !== 2 || keyMask.shape[0] !== batch || keyMask.shape[1] !== keyLength) {
          throw new InputError(`MultiHeadAttention '${this.name}': keyMask must be [${batch}, ${keyLength}], got ${formatShape(keyMask.shape)}.`);
        }
        const blocked = tf.mul(tf.sub(1, tf.cast(keyMask, 'float32')), -1e9).reshape([batch, 1, 1, keyLength]);
        scores = tf.add(scores, blocked);
      }
      if (this.causal) {
        const allowed = tf.linalg.bandPart(tf.ones([queryLength, keyLength]), -1, 0);
        scores = tf.add(scores, tf.mul(tf.sub(1, allowed), -1e9));
      }
      const weights = tf.softmax(scores, -1);
      const context = tf.matMul(weights, v).transpose([0, 2, 1, 3]).reshape([-1, heads * headDim]);
      const out = tf.add(tf.matMul(context, this.outputKernel.read()), this.outputBias.read());
      return out.reshape([batch, queryLength, -1]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      ...(this.outputDim !== undefined ? { outputDim: this.outputDim } : {}),
      causal: this.causal,
    };
  }
}
tf.serialization.registerClass(MultiHeadAttention);
