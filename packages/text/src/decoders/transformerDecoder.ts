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
  constructor(options: TransformerDecoderOptions, existingLayer?: (name: string) => tf.layers.Layer | undefined) {
    const dim = options.embeddingDim ?? 32;
    const heads = options.numHeads ?? 4;
    if (dim % heads !== 0) throw new ConfigError(`TransformerDecoder: embeddingDim ${dim} must be divisible by numHeads ${heads}.`);
    super(options, existingLayer);
  }

  protected build(context: S, contextMask: S | undefined, tokens: S): S {
    const o = this.options as Required<TextDecoderOptions> & TransformerDecoderOptions;
    const { vocabSize, embeddingDim: dim, dropout, name, maxLength } = o;
    const depth = o.depth ?? 2;
    const heads = o.numHeads ?? 4;
    const ffUnits = o.ffUnits ?? 2 * dim;
    const l = <L extends tf.layers.Layer>(layerName: string, create: (n: string) => L): L => this.layer(layerName, () => create(layerName));
    let memory = l(`${name}_memory`, (n) => tf.layers.dense({ units: dim, name: n })).apply(context) as S;
    if (!contextMask) memory = l(`${name}_memory_slot`, (n) => tf.layers.reshape({ targetShape: [1, dim], name: n })).apply(memory) as S;
    let x = l(`${name}_embedding`, (n) => tf.layers.embedding({ inputDim: vocabSize, outputDim: dim, name: n })).apply(tokens) as S;
    x = l(`${name}_position`, (n) => new PositionEmbedding({ maxLength, name: n })).apply(x) as S;
    const drop = (t: S, part: string) => (dropout > 0 ? (l(`${name}_${part}_dropout`, (n) => tf.layers.dropout({ rate: dropout, name: n })).apply(t) as S) : t);
    for (let i = 1; i <= depth; i++) {
      const p = `${name}_block${i}`;
      const norm = (t: S, part: string) => l(`${p}_${part}`, (n) => tf.layers.layerNormalization({ epsilon: 1e-6, name: n })).apply(t) as S;
      const add = (a: S, b: S, part: string) => l(`${p}_${part}`, (n) => tf.layers.add({ name: n })).apply([a, b]) as S;
      const selfInput = norm(x, 'ln1');
      const self = l(`${p}_self_attention`, (n) => new MultiHeadAttention({ numHeads: heads, keyDim: dim / heads, causal: true, name: n })).apply([selfInput, selfInput]) as S;
      x = add(x, drop(self, `${p}_self`), 'add1');
      const crossInput = norm(x, 'ln2');
      const cross = l(`${p}_cross_attention`, (n) => new MultiHeadAttention({ numHeads: heads, keyDim: dim / heads, name: n })).apply(contextMask ? [crossInput, memory, contextMask] : [crossInput, memory]) as S;
      x = add(x, drop(cross, `${p}_cross`), 'add2');
      const hidden = l(`${p}_ff1`, (n) => tf.layers.dense({ units: ffUnits, activation: 'relu', name: n })).apply(norm(x, 'ln3')) as S;
      const ff = l(`${p}_ff2`, (n) => tf.layers.dense({ units: dim, name: n })).apply(hidden) as S;
      x = add(x, drop(ff, `${p}_ff`), 'add3');
    }
    x = l(`${name}_ln`, (n) => tf.layers.layerNormalization({ epsilon: 1e-6, name: n })).apply(x) as S;
    return l(`${name}_logits`, (n) => tf.layers.dense({ units: vocabSize, name: n })).apply(x) as S;
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
