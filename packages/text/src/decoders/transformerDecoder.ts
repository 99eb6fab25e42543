import { ConfigError, MultiHeadAttention, PositionEmbedding, registry, tf } from '@polyfuse/core';
import { TextDecoder, decoderSchema, type TextDecoderOptions } from './textDecoder.js';

export interface TransformerDecoderOptions extends TextDecoderOptions {
  /** Decoder blocks. Default 2. */
  depth?: number;
  /** Attention heads; embeddingDim must be divisible by it. Default 4. */
  numHeads?: number;
  /** Feed-forward units. Default 2 × embeddingDim. */
  ffUnits?: number;
}

type S = tf.SymbolicTensor;

/**
 * Transformer decoder (Vaswani et al. 2017, pre-norm): token + position
 * embeddings, then blocks of causal self-attention, cross-attention to the
 * context (a `[D]` context is one memory slot; an `[S, D]` context is
 * attended with its padding mask) and a feed-forward layer, each residual;
 * a final layer norm and the vocabulary projection.
 */
export class TransformerDecoder extends TextDecoder {
  constructor(options: TransformerDecoderOptions) {
    const dim = options.embeddingDim ?? 32;
    const heads = options.numHeads ?? 4;
    if (dim % heads !== 0) throw new ConfigError(`TransformerDecoder: embeddingDim ${dim} must be divisible by numHeads ${heads}.`);
    super(options);
  }

  protected build(context: S, contextMask: S | undefined, tokens: S): S {
    const o = this.options as Required<TextDecoderOptions> & TransformerDecoderOptions;
    const { vocabSize, embeddingDim: dim, dropout, name, maxLength } = o;
    const depth = o.depth ?? 2;
    const heads = o.numHeads ?? 4;
    const ffUnits = o.ffUnits ?? 2 * dim;
    let memory = tf.layers.dense({ units: dim, name: `${name}_memory` }).apply(context) as S;
    if (!contextMask) memory = tf.layers.reshape({ targetShape: [1, dim], name: `${name}_memory_slot` }).apply(memory) as S;
    let x = tf.layers.embedding({ inputDim: vocabSize, outputDim: dim, name: `${name}_embedding` }).apply(tokens) as S;
    x = new PositionEmbedding({ maxLength, name: `${name}_position` }).apply(x) as S;
    const drop = (t: S, part: string) => (dropout > 0 ? (tf.layers.dropout({ rate: dropout, name: `${name}_${part}_dropout` }).apply(t) as S) : t);
    for (let i = 1; i <= depth; i++) {
      const p = `${name}_block${i}`;
      const norm = (t: S, part: string) => tf.layers.layerNormalization({ epsilon: 1e-6, name: `${p}_${part}` }).apply(t) as S;
      const add = (a: S, b: S, part: string) => tf.layers.add({ name: `${p}_${part}` }).apply([a, b]) as S;
      const selfInput = norm(x, 'ln1');
      const self = new MultiHeadAttention({ numHeads: heads, keyDim: dim / heads, causal: true, name: `${p}_self_attention` }).apply([selfInput, selfInput]) as S;
      x = add(x, drop(self, `${p}_self`), 'add1');
      const crossInput = norm(x, 'ln2');
      const cross = new MultiHeadAttention({ numHeads: heads, keyDim: dim / heads, name: `${p}_cross_attention` }).apply(contextMask ? [crossInput, memory, contextMask] : [crossInput, memory]) as S;
      x = add(x, drop(cross, `${p}_cross`), 'add2');
      const ff = tf.layers.dense({ units: dim, name: `${p}_ff2` }).apply(tf.layers.dense({ units: ffUnits, activation: 'relu', name: `${p}_ff1` }).apply(norm(x, 'ln3'))) as S;
      x = add(x, drop(ff, `${p}_ff`), 'add3');
    }
    x = tf.layers.layerNormalization({ epsilon: 1e-6, name: `${name}_ln` }).apply(x) as S;
    return tf.layers.dense({ units: vocabSize, name: `${name}_logits` }).apply(x) as S;
  }
}

registry.register(
  {
    kind: 'decoder',
    name: 'transformer',
    description: 'Transformer text decoder: causal self-attention, cross-attention to the context, feed-forward.',
    schema: {
      ...decoderSchema,
      depth: { type: 'integer', min: 1, default: 2 },
      numHeads: { type: 'integer', min: 1, default: 4 },
      ffUnits: { type: 'integer', min: 1, description: 'Feed-forward units (default 2 × embeddingDim).' },
    },
    create: (config: TransformerDecoderOptions) => new TransformerDecoder(config),
  },
  { override: true },
);
