import { ConfigError, registry, tf, validateConfig, type ConfigSchema } from '@polyfuse/core';
import { ApplyMask } from '../layers/applyMask.js';
import { TextEncoderBase, textInputSchema, type TextInputConfig } from './textEncoderBase.js';

/** Options of `encoder/text-cnn`. */
export interface TextCnnConfig extends TextInputConfig {
  /** One conv branch per width. Default [2, 3, 4]. */
  kernelSizes: number[];
  /** Filters per branch. Default 32. */
  filters: number;
  activation: string;
  dropout: number;
  /** Dense layer after the concatenation (0 = none). Default 0. */
  units: number;
}

export const textCnnSchema: ConfigSchema = {
  ...textInputSchema,
  kernelSizes: { type: 'number[]', default: [2, 3, 4] },
  filters: { type: 'integer', min: 1, default: 32 },
  activation: { type: 'string', default: 'relu' },
  dropout: { type: 'number', min: 0, max: 0.99, default: 0 },
  units: { type: 'integer', min: 0, default: 0, description: 'Embedding size (a final dense ReLU layer); 0 = the pooled features.' },
};

type T = tf.SymbolicTensor | tf.Tensor;

/**
 * Kim (2014)-style text CNN: padded positions' embeddings are zeroed, one
 * `valid` 1-D convolution per kernel width, global max pooling over time,
 * concatenation, dropout, optional dense. Output `[filters × kernelSizes.length]`
 * or `[units]`: always pooled, so it has no `paddingMask`.
 */
export class TextCnnEncoder extends TextEncoderBase {
  readonly outputShape: number[];
  private readonly mask: ApplyMask;
  private readonly branches: tf.layers.Layer[][];
  private readonly concat?: tf.layers.Layer;
  private readonly tail: tf.layers.Layer[];

  constructor(config: Partial<TextCnnConfig> & { vocabSize: number; maxLength: number }) {
    const { modality, ...options } = config;
    const c = validateConfig<TextCnnConfig & Record<string, unknown>>(textCnnSchema, options, 'encoder/text-cnn');
    if (c.kernelSizes.length === 0 || c.kernelSizes.some((k) => !Number.isInteger(k) || k < 1 || k > c.maxLength)) {
      throw new ConfigError(`encoder/text-cnn.kernelSizes must be integers in [1, maxLength=${c.maxLength}], got ${JSON.stringify(c.kernelSizes)}.`);
    }
    super('text-cnn', { ...c, modality });
    this.mask = new ApplyMask({ ...this.name('zero_padding') });
    this.branches = c.kernelSizes.map((k) => [
      tf.layers.conv1d({ filters: c.filters, kernelSize: k, padding: 'valid', activation: c.activation as never, ...this.name(`conv${k}`) }),
      tf.layers.globalMaxPooling1d({ ...this.name(`max${k}`) }),
    ]);
    if (this.branches.length > 1) this.concat = tf.layers.concatenate({ ...this.name('concat') });
    this.tail = [];
    if (c.dropout > 0) this.tail.push(tf.layers.dropout({ rate: c.dropout, ...this.name('dropout') }));
    if (c.units > 0) this.tail.push(tf.layers.dense({ units: c.units, activation: 'relu', ...this.name('dense') }));
    this.outputShape = [c.units || c.filters * c.kernelSizes.length];
  }

  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
  apply(input: T): T {
    const embedded = this.call(this.mask, [this.call(this.embedding, input), this.tokenMask(input)]);
    const pooled = this.branches.map((branch) => branch.reduce((x, layer) => this.call(layer, x), embedded));
    const joined = this.concat ? this.call(this.concat, pooled) : pooled[0]!;
    return this.tail.reduce((x, layer) => this.call(layer, x), joined);
  }
}

registry.register(
  { kind: 'encoder', name: 'text-cnn', description: 'Kim-style 1-D CNN over token embeddings with max-over-time pooling. [T] ids → [D].', schema: textCnnSchema, create: (c: TextCnnConfig) => new TextCnnEncoder(c) },
  { override: true },
);
