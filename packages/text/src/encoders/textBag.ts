import { MaskedMeanPooling, registry, tf, validateConfig, type ConfigSchema } from '@polyfuse/core';
import { TextEncoderBase, textInputSchema, type TextInputConfig } from './textEncoderBase.js';

/** Options of `encoder/text-bag`. */
export interface TextBagConfig extends TextInputConfig {
  /** Dense layer after the mean (0 = none). Default 0. */
  units: number;
  activation: string;
}

export const textBagSchema: ConfigSchema = {
  ...textInputSchema,
  units: { type: 'integer', min: 0, default: 0, description: 'Embedding size (a final dense layer); 0 = the mean embedding.' },
  activation: { type: 'string', default: 'relu' },
};

type T = tf.SymbolicTensor | tf.Tensor;

/**
 * Embedding bag: the mean of the token embeddings over non-padding positions
 * (torch's `nn.EmbeddingBag(mode='mean')` with padding excluded), then an
 * optional dense layer. Output `[embeddingDim]` or `[units]`: always pooled,
 * so it has no `paddingMask`.
 */
export class TextBagEncoder extends TextEncoderBase {
  readonly outputShape: number[];
  private readonly pool: MaskedMeanPooling;
  private readonly dense?: tf.layers.Layer;

  constructor(config: Partial<TextBagConfig> & { vocabSize: number; maxLength: number }) {
    const { modality, ...options } = config;
    const c = validateConfig<TextBagConfig & Record<string, unknown>>(textBagSchema, options, 'encoder/text-bag');
    super('text-bag', { ...c, modality });
    this.pool = new MaskedMeanPooling({ ...this.name('mean') });
    if (c.units > 0) this.dense = tf.layers.dense({ units: c.units, activation: c.activation as never, ...this.name('dense') });
    this.outputShape = [c.units || c.embeddingDim];
  }

  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
  apply(input: T): T {
    const mask = this.tokenMask(input);
    const pooled = this.call(this.pool, [this.call(this.embedding, input), mask]);
    return this.dense ? this.call(this.dense, pooled) : pooled;
  }
}

registry.register(
  { kind: 'encoder', name: 'text-bag', description: 'Mean of token embeddings (padding excluded). [T] ids → [D].', schema: textBagSchema, create: (c: TextBagConfig) => new TextBagEncoder(c) },
  { override: true },
);
