import { ConfigError, FirstToken, MaskedMeanPooling, PositionEmbedding, registry, tf, transformerEncoderBlock, validateConfig, type ConfigSchema, type TransformerBlock } from '@polyfuse/core';
import { ApplyMask } from '../layers/applyMask.js';
import { TextEncoderBase, textInputSchema, type TextInputConfig } from './textEncoderBase.js';

/** The shared text options, less `embeddingDim`: a transformer's token width is its `modelDim`. */
const tokenInputSchema: ConfigSchema = Object.fromEntries(Object.entries(textInputSchema).filter(([key]) => key !== 'embeddingDim'));

/** Options of `encoder/text-transformer`. */
export interface TextTransformerConfig extends Omit<TextInputConfig, 'embeddingDim'> {
  /** Width of the token embeddings and of every block (d_model). Default 32. (Formerly `embeddingDim`.) */
  modelDim: number;
  /** Transformer blocks. Default 2. */
  depth: number;
  numHeads: number;
  /** Feed-forward units; 0 = 2 × modelDim. */
  ffUnits: number;
  dropout: number;
  /** `mean` over real tokens, `first` token (e.g. [CLS]), or the whole `sequence` `[maxLength, modelDim]` (zero at padding). */
  pooling: 'mean' | 'first' | 'sequence';
}

export const textTransformerSchema: ConfigSchema = {
  ...tokenInputSchema,
  modelDim: { type: 'integer', min: 1, default: 32, description: 'Width of the token embeddings and of every block.', deprecated: { names: ['embeddingDim'] } },
  depth: { type: 'integer', min: 1, default: 2 },
  numHeads: { type: 'integer', min: 1, default: 4 },
  ffUnits: { type: 'integer', min: 0, default: 0, description: 'Feed-forward units; 0 = 2 × modelDim.' },
  dropout: { type: 'number', min: 0, max: 0.99, default: 0 },
  pooling: { type: 'string', enum: ['mean', 'first', 'sequence'], default: 'mean' },
};

type T = tf.SymbolicTensor | tf.Tensor;

/**
 * Transformer encoder over tokens: embeddings + learned position embeddings,
 * pre-norm blocks whose attention ignores padding (key mask from `padId`),
 * a final layer norm, then masked mean, first-token, or the full sequence.
 * With `pooling: sequence`, `paddingMask(ids)` gives the `[B, maxLength]`
 * mask of real tokens (the output's steps are the tokens).
 */
export class TextTransformerEncoder extends TextEncoderBase {
  readonly outputShape: number[];
  private readonly positions: PositionEmbedding;
  private readonly blocks: TransformerBlock[];
  private readonly norm: tf.layers.Layer;
  private readonly dropout?: tf.layers.Layer;
  private readonly pool: tf.layers.Layer;
  private readonly pooling: TextTransformerConfig['pooling'];

  constructor(config: Partial<TextTransformerConfig> & { vocabSize: number; maxLength: number; /** @deprecated Use `modelDim`; removed after 0.1. */ embeddingDim?: number }) {
    const { modality, ...options } = config;
    const c = validateConfig<TextTransformerConfig & Record<string, unknown>>(textTransformerSchema, options, 'encoder/text-transformer');
    if (c.modelDim % c.numHeads !== 0) {
      throw new ConfigError(`encoder/text-transformer: modelDim ${c.modelDim} must be divisible by numHeads ${c.numHeads}.`);
    }
    super('text-transformer', { ...c, modality }, { embeddingDim: c.modelDim });
    this.pooling = c.pooling;
    this.positions = new PositionEmbedding({ maxLength: c.maxLength, ...this.name('position') });
    if (c.dropout > 0) this.dropout = tf.layers.dropout({ rate: c.dropout, ...this.name('embedding_dropout') });
    this.blocks = Array.from({ length: c.depth }, (_, i) =>
      transformerEncoderBlock({ modelDim: c.modelDim, numHeads: c.numHeads, ffUnits: c.ffUnits || 2 * c.modelDim, dropout: c.dropout, namePrefix: this.name(`block${i + 1}`).name }),
    );
    this.norm = tf.layers.layerNormalization({ epsilon: 1e-6, ...this.name('ln') });
    this.pool =
      c.pooling === 'mean' ? new MaskedMeanPooling({ ...this.name('mean') }) : c.pooling === 'first' ? new FirstToken({ ...this.name('first') }) : new ApplyMask({ ...this.name('sequence_mask') });
    this.outputShape = c.pooling === 'sequence' ? [c.maxLength, c.modelDim] : [c.modelDim];
    if (c.pooling === 'sequence') this.providePaddingMask();
  }

  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
  apply(input: T): T {
    const mask = this.tokenMask(input);
    let x = this.call(this.positions, this.call(this.embedding, input));
    if (this.dropout) x = this.call(this.dropout, x);
    for (const block of this.blocks) x = block.apply(x as tf.Tensor, mask as tf.Tensor);
    x = this.call(this.norm, x);
    return this.pooling === 'first' ? this.call(this.pool, x) : this.call(this.pool, [x, mask]);
  }
}

registry.register(
  {
    kind: 'encoder',
    name: 'text-transformer',
    description: 'Transformer encoder with position embeddings and padding masks. [T] ids → [D] or [T, D].',
    schema: textTransformerSchema,
    create: (c: TextTransformerConfig) => new TextTransformerEncoder(c),
  },
  { override: true },
);
