import { ConfigError, tf } from '@polyfuse/core';

export interface TransformerEncoderLayerArgs {
  /** Attention heads; must divide the model width. */
  numHeads: number;
  /** Hidden units of the position-wise feed-forward network. */
  ffUnits: number;
  /** Dropout on attention output and feed-forward output while training. Default 0. */
  dropout?: number;
  name?: string;
  trainable?: boolean;
}

/**
 * One post-norm Transformer encoder layer (Vaswani et al. 2017; PyTorch's
 * `nn.TransformerEncoderLayer` with `norm_first=False`, ReLU):
 * `x = LN(x + Dropout(MHSA(x)))`, `x = LN(x + Dropout(W2 relu(W1 x)))`,
 * on `[B, T, D]`. Layer norm epsilon 1e-5 as in PyTorch. tfjs-layers has no
 * multi-head attention layer, so this is a custom, serialisable layer.
 */
export class TransformerEncoderLayer extends tf.layers.Layer {
  static readonly className = 'PolyfuseAudioTransformerEncoderLayer';
  readonly numHeads: number;
  readonly ffUnits: number;
  readonly dropoutRate: number;
  private weightsByName: Record<string, tf.LayerVariable> = {};

  constructor(args: TransformerEncoderLayerArgs) {
    super(args);
    if (!Number.isInteger(args.numHeads) || args.numHeads < 1) throw new ConfigError(`TransformerEncoderLayer: numHeads must be a positive integer, got ${args.numHeads}.`);
    if (!Number.isInteger(args.ffUnits) || args.ffUnits < 1) throw new ConfigError(`TransformerEncoderLayer: ffUnits must be a positive integer, got ${args.ffUnits}.`);
    this.numHeads = args.numHeads;
    this.ffUnits = args.ffUnits;
    this.dropoutRate = args.dropout ?? 0;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = (inputShape as tf.Shape)[2]!;
    if (d % this.numHeads !== 0) throw new ConfigError(`TransformerEncoderLayer: model width ${d} is not divisible by numHeads ${this.numHeads}.`);
    const glorot = () => tf.initializers.glorotUniform({});
    const add = (name: string, shape: number[], init: ReturnType<typeof tf.initializers.zeros>) => {
      this.weightsByName[name] = this.addWeight(name, shape, 'float32', init);
    };
    for (const name of ['query', 'key', 'value', 'output']) {
      add(`${name}_kernel`, [d, d], glorot());
      add(`${name}_bias`, [d], tf.initializers.zeros());
    }
    add('ff1_kernel', [d, this.ffUnits], glorot());
    add('ff1_bias', [this.ffUnits], tf.initializers.zeros());
    add('ff2_kernel', [this.ffUnits, d], glorot());
    add('ff2_bias', [d], tf.initializers.zeros());
    for (const norm of ['norm1', 'norm2']) {
      add(`${norm}_gamma`, [d], tf.initializers.ones());
      add(`${norm}_beta`, [d], tf.initializers.zeros());
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean } = {}): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor3D;
      const [batch, steps, width] = x.shape;
      const heads = this.numHeads;
      const headSize = width / heads;
      const w = (name: string) => this.weightsByName[name]!.read();
      const dense = (input: tf.Tensor, kernel: string, bias: string) => {
        const flat = tf.reshape(input, [-1, input.shape[input.shape.length - 1]!]);
        const out = tf.add(tf.matMul(flat, w(kernel)), w(bias));
        return tf.reshape(out, [batch, steps, -1]);
      };
      const split = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [batch, steps, heads, headSize]), [0, 2, 1, 3]);
      const q = split(dense(x, 'query_kernel', 'query_bias'));
      const k = split(dense(x, 'key_kernel', 'key_bias'));
      const v = split(dense(x, 'value_kernel', 'value_bias'));
      const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(headSize));
      const attended = tf.matMul(tf.softmax(scores, -1), v);
      const merged = tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [batch, steps, width]);
      const attention = this.dropout(dense(merged, 'output_kernel', 'output_bias'), kwargs.training);
      const h = this.layerNorm(tf.add(x, attention), 'norm1');
      const hidden = tf.relu(dense(h, 'ff1_kernel', 'ff1_bias'));
      const ff = this.dropout(dense(hidden, 'ff2_kernel', 'ff2_bias'), kwargs.training);
      return this.layerNorm(tf.add(h, ff), 'norm2');
    });
  }

  private layerNorm(x: tf.Tensor, name: string): tf.Tensor {
    const { mean, variance } = tf.moments(x, -1, true);
    const normalised = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
    return tf.add(tf.mul(normalised, this.weightsByName[`${name}_gamma`]!.read()), this.weightsByName[`${name}_beta`]!.read());
  }

  private dropout(x: tf.Tensor, training?: boolean): tf.Tensor {
    return training && this.dropoutRate > 0 ? tf.dropout(x, this.dropoutRate) : x;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numHeads: this.numHeads, ffUnits: this.ffUnits, dropout: this.dropoutRate };
  }
}
tf.serialization.registerClass(TransformerEncoderLayer);
