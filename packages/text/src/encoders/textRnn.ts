import {
  ConfigError,
  fusedBidirectionalGru,
  fusedBidirectionalLstm,
  fusedGru,
  fusedLstm,
  registry,
  tf,
  validateConfig,
  type ConfigSchema,
  type FusedBidirectionalGru,
  type FusedBidirectionalLstm,
} from '@polyfuse/core';
import { ApplyMask } from '../layers/applyMask.js';
import { TextEncoderBase, textInputSchema, type TextInputConfig } from './textEncoderBase.js';

/** Options of `encoder/text-rnn`. */
export interface TextRnnConfig extends TextInputConfig {
  cell: 'lstm' | 'gru';
  /** Hidden units per direction. Default 32. */
  units: number;
  bidirectional: boolean;
  /** Stacked recurrent layers. Default 1. (Formerly `layers`.) */
  depth: number;
  /**
   * `last`: the final state `[units × directions]`; `sequence`: every step
   * `[maxLength, units × directions]`, zero at padding. Default `last`.
   * (Formerly `output: pooled | sequence`.)
   */
  pooling: 'last' | 'sequence';
  dropout: number;
}

export const textRnnSchema: ConfigSchema = {
  ...textInputSchema,
  cell: { type: 'string', enum: ['lstm', 'gru'], default: 'lstm' },
  units: { type: 'integer', min: 1, default: 32 },
  bidirectional: { type: 'boolean', default: false },
  depth: { type: 'integer', min: 1, default: 1, description: 'Stacked recurrent layers.', deprecated: { names: ['layers'] } },
  pooling: {
    type: 'string',
    enum: ['last', 'sequence'],
    default: 'last',
    description: 'last: the final state [D]; sequence: every step [maxLength, D].',
    deprecated: { names: ['output'], values: { pooled: 'last' } },
  },
  dropout: { type: 'number', min: 0, max: 0.99, default: 0 },
};

type T = tf.SymbolicTensor | tf.Tensor;

/** One recurrent block: a layer, or a fused bidirectional layer trio. */
type Recurrent = tf.layers.Layer | FusedBidirectionalGru | FusedBidirectionalLstm;

/**
 * (Bi-)LSTM or GRU over token embeddings. Padding (id 0) is masked with
 * tfjs-layers' `maskZero`, so recurrent layers skip padded steps: the pooled
 * output is the state after the last real token (for the backward direction,
 * after the first). Requires `padId` 0. With `pooling: sequence`,
 * `paddingMask(ids)` gives the `[B, maxLength]` mask of real tokens.
 *
 * `lstm` is @polyfuse/core's `FusedLstm` (PyTorch `torch.nn.LSTM` semantics
 * and weight layout, one op per layer instead of ~15 kernels per step); `gru`
 * is its `FusedGru` (`torch.nn.GRU`). Bidirectional layers are
 * `fusedBidirectionalLstm` / `fusedBidirectionalGru`, with
 * tf.layers.bidirectional's concat semantics. (Models saved when `lstm` was
 * tf.layers.lstm still load: their layers deserialise as tfjs' own LSTM.)
 */
export class TextRnnEncoder extends TextEncoderBase {
  readonly outputShape: number[];
  private readonly recurrent: Recurrent[];
  private readonly dropout?: tf.layers.Layer;
  private readonly finish?: ApplyMask;
  private readonly sequence: boolean;

  constructor(
    config: Partial<TextRnnConfig> & {
      vocabSize: number;
      maxLength: number;
      /** @deprecated Use `depth`; removed after 0.1. */
      layers?: number;
      /** @deprecated Use `pooling` (`pooled` is `last`); removed after 0.1. */
      output?: string;
    },
  ) {
    const { modality, ...options } = config;
    const c = validateConfig<TextRnnConfig & Record<string, unknown>>(textRnnSchema, options, 'encoder/text-rnn');
    if (c.padId !== 0) throw new ConfigError(`encoder/text-rnn.padId must be 0 (tfjs masks id 0), got ${c.padId}.`);
    super('text-rnn', { ...c, modality }, { maskZero: true });
    this.sequence = c.pooling === 'sequence';
    this.recurrent = Array.from({ length: c.depth }, (_, i): Recurrent => {
      const returnSequences = this.sequence || i < c.depth - 1;
      const prefix = c.bidirectional ? `bi${c.cell}${i + 1}` : `${c.cell}${i + 1}`;
      const options = { units: c.units, returnSequences, ...this.name(prefix) };
      if (c.cell === 'gru') return c.bidirectional ? fusedBidirectionalGru(options) : fusedGru(options);
      return c.bidirectional ? fusedBidirectionalLstm(options) : fusedLstm(options);
    });
    if (c.dropout > 0) this.dropout = tf.layers.dropout({ rate: c.dropout, ...this.name('dropout') });
    if (this.sequence) this.finish = new ApplyMask({ ...this.name('sequence_mask') });
    const width = c.units * (c.bidirectional ? 2 : 1);
    this.outputShape = this.sequence ? [c.maxLength, width] : [width];
    if (this.sequence) this.providePaddingMask();
  }

  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
  apply(input: T): T {
    let x = this.call(this.embedding, input);
    for (const layer of this.recurrent) x = layer instanceof tf.layers.Layer ? this.call(layer, x) : layer.apply(x as tf.Tensor);
    if (this.finish) x = this.call(this.finish, [x, this.tokenMask(input)]);
    return this.dropout ? this.call(this.dropout, x) : x;
  }
}

registry.register(
  { kind: 'encoder', name: 'text-rnn', description: '(Bi-)LSTM/GRU over token embeddings, padding masked. [T] ids → [D] or [T, D].', schema: textRnnSchema, create: (c: TextRnnConfig) => new TextRnnEncoder(c) },
  { override: true },
);
