import { ConfigError, registry, tf, validateConfig, type ConfigSchema } from '@polyfuse/core';
import { ApplyMask } from '../layers/applyMask.js';
import { TextEncoderBase, textInputSchema, type TextInputConfig } from './textEncoderBase.js';

/** Options of `encoder/text-rnn`. */
export interface TextRnnConfig extends TextInputConfig {
  cell: 'lstm' | 'gru';
  /** Hidden units per direction. Default 32. */
  units: number;
  bidirectional: boolean;
  /** Stacked recurrent layers. Default 1. */
  layers: number;
  /** `pooled`: the final state `[units × directions]`; `sequence`: every step `[maxLength, units × directions]`, zero at padding. */
  output: 'pooled' | 'sequence';
  dropout: number;
}

export const textRnnSchema: ConfigSchema = {
  ...textInputSchema,
  cell: { type: 'string', enum: ['lstm', 'gru'], default: 'lstm' },
  units: { type: 'integer', min: 1, default: 32 },
  bidirectional: { type: 'boolean', default: false },
  layers: { type: 'integer', min: 1, default: 1 },
  output: { type: 'string', enum: ['pooled', 'sequence'], default: 'pooled' },
  dropout: { type: 'number', min: 0, max: 0.99, default: 0 },
};

type T = tf.SymbolicTensor | tf.Tensor;

/**
 * (Bi-)LSTM or GRU over token embeddings. Padding (id 0) is masked with
 * tfjs-layers' `maskZero`, so recurrent layers skip padded steps: the pooled
 * output is the state after the last real token (for the backward direction,
 * after the first). Requires `padId` 0.
 */
export class TextRnnEncoder extends TextEncoderBase {
  readonly outputShape: number[];
  private readonly recurrent: tf.layers.Layer[];
  private readonly dropout?: tf.layers.Layer;
  private readonly finish?: ApplyMask;
  private readonly sequence: boolean;

  constructor(config: Partial<TextRnnConfig> & { vocabSize: number; maxLength: number }) {
    const { modality, ...options } = config;
    const c = validateConfig<TextRnnConfig & Record<string, unknown>>(textRnnSchema, options, 'encoder/text-rnn');
    if (c.padId !== 0) throw new ConfigError(`encoder/text-rnn.padId must be 0 (tfjs masks id 0), got ${c.padId}.`);
    super('text-rnn', { ...c, modality }, { maskZero: true });
    this.sequence = c.output === 'sequence';
    this.recurrent = Array.from({ length: c.layers }, (_, i) => {
      const returnSequences = this.sequence || i < c.layers - 1;
      const make = (name?: string) =>
        c.cell === 'lstm'
          ? tf.layers.lstm({ units: c.units, returnSequences, ...(name ? { name } : {}) })
          : tf.layers.gru({ units: c.units, returnSequences, ...(name ? { name } : {}) });
      return c.bidirectional
        ? tf.layers.bidirectional({ layer: make() as never, mergeMode: 'concat', ...this.name(`bi${c.cell}${i + 1}`) })
        : make(this.name(`${c.cell}${i + 1}`).name);
    });
    if (c.dropout > 0) this.dropout = tf.layers.dropout({ rate: c.dropout, ...this.name('dropout') });
    if (this.sequence) this.finish = new ApplyMask({ ...this.name('sequence_mask') });
    const width = c.units * (c.bidirectional ? 2 : 1);
    this.outputShape = this.sequence ? [c.maxLength, width] : [width];
  }

  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
  apply(input: T): T {
    let x = this.call(this.embedding, input);
    for (const layer of this.recurrent) x = this.call(layer, x);
    if (this.finish) x = this.call(this.finish, [x, this.call(this.paddingMask, input)]);
    return this.dropout ? this.call(this.dropout, x) : x;
  }
}

registry.register(
  { kind: 'encoder', name: 'text-rnn', description: '(Bi-)LSTM/GRU over token embeddings, padding masked. [T] ids → [D] or [T, D].', schema: textRnnSchema, create: (c: TextRnnConfig) => new TextRnnEncoder(c) },
  { override: true },
);
