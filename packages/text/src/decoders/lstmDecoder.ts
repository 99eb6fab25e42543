import { MaskedMeanPooling, MultiHeadAttention, registry, tf } from '@polyfuse/core';
import { TextDecoder, decoderSchema, type TextDecoderOptions } from './textDecoder.js';

export interface LstmDecoderOptions extends TextDecoderOptions {
  /** LSTM units. Default 64. */
  units?: number;
}

type S = tf.SymbolicTensor;

/**
 * LSTM decoder (Show-and-Tell style, Vinyals et al. 2015): the context sets
 * the LSTM's initial state through two dense layers. With a sequence context
 * the initial state comes from its masked mean, and each output step also
 * attends to the sequence (Luong-style: `tanh(W [h; attention(h, context)])`)
 * before the vocabulary projection.
 */
export class LstmDecoder extends TextDecoder {
  constructor(options: LstmDecoderOptions) {
    super(options);
  }

  protected build(context: S, contextMask: S | undefined, tokens: S): S {
    const { vocabSize, embeddingDim, dropout, name } = this.options;
    const units = (this.options as LstmDecoderOptions).units ?? 64;
    const summary = contextMask ? (new MaskedMeanPooling({ name: `${name}_context_mean` }).apply([context, contextMask]) as S) : context;
    const h0 = tf.layers.dense({ units, activation: 'tanh', name: `${name}_init_h` }).apply(summary) as S;
    const c0 = tf.layers.dense({ units, name: `${name}_init_c` }).apply(summary) as S;
    let x = tf.layers.embedding({ inputDim: vocabSize, outputDim: embeddingDim, name: `${name}_embedding` }).apply(tokens) as S;
    if (dropout > 0) x = tf.layers.dropout({ rate: dropout, name: `${name}_embedding_dropout` }).apply(x) as S;
    let h = tf.layers.lstm({ units, returnSequences: true, name: `${name}_lstm` }).apply(x, { initialState: [h0, c0] }) as S;
    if (contextMask) {
      const attended = new MultiHeadAttention({ numHeads: 1, keyDim: units, outputDim: units, name: `${name}_attention` }).apply([h, context, contextMask]) as S;
      const joined = tf.layers.concatenate({ name: `${name}_attention_concat` }).apply([h, attended]) as S;
      h = tf.layers.dense({ units, activation: 'tanh', name: `${name}_attention_out` }).apply(joined) as S;
    }
    if (dropout > 0) h = tf.layers.dropout({ rate: dropout, name: `${name}_output_dropout` }).apply(h) as S;
    return tf.layers.dense({ units: vocabSize, name: `${name}_logits` }).apply(h) as S;
  }
}

registry.register(
  {
    kind: 'decoder',
    name: 'lstm',
    description: 'LSTM text decoder; context sets the initial state (plus attention for sequence contexts).',
    schema: { ...decoderSchema, units: { type: 'integer', min: 1, default: 64 } },
    create: (config: LstmDecoderOptions) => new LstmDecoder(config),
  },
  { override: true },
);
