import { MaskedMeanPooling, MultiHeadAttention, fusedLstm, registry, tf } from '@polyfuse/core';
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
 * before the vocabulary projection. The LSTM is @polyfuse/core's `FusedLstm`
 * (`torch.nn.LSTM` semantics, the whole sequence as one op); decoding
 * re-runs it on the growing prefix, so it needs no step-by-step state.
 */
export class LstmDecoder extends TextDecoder {
  constructor(options: LstmDecoderOptions, existingLayer?: (name: string) => tf.layers.Layer | undefined) {
    super(options, existingLayer);
  }

  protected build(context: S, contextMask: S | undefined, tokens: S): S {
    const { vocabSize, embeddingDim, dropout, name } = this.options;
    const units = (this.options as LstmDecoderOptions).units ?? 64;
    const l = <L extends tf.layers.Layer>(suffix: string, create: (layerName: string) => L): L => this.layer(`${name}_${suffix}`, () => create(`${name}_${suffix}`));
    const summary = contextMask ? (l('context_mean', (n) => new MaskedMeanPooling({ name: n })).apply([context, contextMask]) as S) : context;
    const h0 = l('init_h', (n) => tf.layers.dense({ units, activation: 'tanh', name: n })).apply(summary) as S;
    const c0 = l('init_c', (n) => tf.layers.dense({ units, name: n })).apply(summary) as S;
    let x = l('embedding', (n) => tf.layers.embedding({ inputDim: vocabSize, outputDim: embeddingDim, name: n })).apply(tokens) as S;
    if (dropout > 0) x = l('embedding_dropout', (n) => tf.layers.dropout({ rate: dropout, name: n })).apply(x) as S;
    // ignoreMask: every token step is real, and in a model's graph tfjs would hand this layer an encoder's padding mask.
    // A decoder rebound to a model saved before FusedLstm gets that model's tf.layers.lstm here; both take initialState.
    let h = l('lstm', (n) => fusedLstm({ units, returnSequences: true, ignoreMask: true, name: n })).apply(x, { initialState: [h0, c0] }) as S;
    if (contextMask) {
      const attended = l('attention', (n) => new MultiHeadAttention({ numHeads: 1, keyDim: units, outputDim: units, name: n })).apply([h, context, contextMask]) as S;
      const joined = l('attention_concat', (n) => tf.layers.concatenate({ name: n })).apply([h, attended]) as S;
      h = l('attention_out', (n) => tf.layers.dense({ units, activation: 'tanh', name: n })).apply(joined) as S;
    }
    if (dropout > 0) h = l('output_dropout', (n) => tf.layers.dropout({ rate: dropout, name: n })).apply(h) as S;
    return l('logits', (n) => tf.layers.dense({ units: vocabSize, name: n })).apply(h) as S;
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
