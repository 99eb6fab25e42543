import { ConfigError, PaddingMask, componentConfig, layerNamer, tf, type ConfigSchema, type Encoder } from '@polyfuse/core';

/** Options every text encoder shares. */
export interface TextInputConfig {
  /** Number of token ids (the tokenizer's vocabSize). */
  vocabSize: number;
  /** Token ids per sample (the preprocessor's maxLength). */
  maxLength: number;
  /** Width of the token embeddings. Default 32. (text-transformer calls it `modelDim`.) */
  embeddingDim: number;
  /** The id that marks padding. Default 0. */
  padId: number;
  /** Train the embedding table (false keeps pretrained word vectors fixed). Default true. */
  trainableEmbedding: boolean;
  /** Set by the registry from the model spec; prefixes layer names. */
  modality?: string;
}

export const textInputSchema: ConfigSchema = {
  vocabSize: { type: 'integer', min: 2, required: true, description: 'Vocabulary size (tokenizer.vocabSize).' },
  maxLength: { type: 'integer', min: 1, required: true, description: 'Token ids per sample.' },
  embeddingDim: { type: 'integer', min: 1, default: 32 },
  padId: { type: 'integer', min: 0, default: 0 },
  trainableEmbedding: { type: 'boolean', default: true },
};

type T = tf.SymbolicTensor | tf.Tensor;

/**
 * Shared parts of the text encoders: int32 ids `[maxLength]` in, a token
 * embedding table (built eagerly, so pretrained vectors can be set before
 * training) and a padding mask layer (`tokenMask`). Encoders that can output
 * a sequence `[maxLength, D]` (one step per token) also implement the
 * contract's `paddingMask` with it.
 */
export abstract class TextEncoderBase implements Encoder {
  readonly inputShape: number[];
  readonly inputDtype = 'int32' as const;
  abstract readonly outputShape: number[];
  readonly config: Record<string, unknown>;
  /** The token embedding table `[vocabSize, embeddingDim]`. */
  readonly embedding: tf.layers.Layer;
  /** Width of the token embeddings (text-transformer: its `modelDim`). */
  readonly embeddingDim: number;
  /**
   * The contract's padding mask, `[B, maxLength]` (1 real token, 0 padding):
   * set by the encoders whose output is a sequence (one step per token),
   * absent when they pool.
   */
  paddingMask?: NonNullable<Encoder['paddingMask']>;
  /** Ids `[B, maxLength]` → `[B, maxLength]` float, 1 where the id is not `padId`. */
  protected readonly tokenMaskLayer: PaddingMask;
  protected readonly name: (part: string) => { name?: string };

  /** `config`: the validated options plus `modality`; `embeddingDim` says the table's width when the options name it otherwise. */
  protected constructor(
    registryName: string,
    config: Omit<TextInputConfig, 'embeddingDim'> & Record<string, unknown>,
    options: { maskZero?: boolean; embeddingDim?: number } = {},
  ) {
    const { modality, ...rest } = config;
    this.config = componentConfig(registryName, rest);
    this.inputShape = [config.maxLength];
    this.embeddingDim = options.embeddingDim ?? (config.embeddingDim as number);
    if (config.padId >= config.vocabSize) {
      throw new ConfigError(`encoder/${registryName}.padId ${config.padId} must be < vocabSize ${config.vocabSize}.`);
    }
    this.name = layerNamer(modality, registryName.replace(/-/g, '_'));
    this.embedding = tf.layers.embedding({
      inputDim: config.vocabSize,
      outputDim: this.embeddingDim,
      trainable: config.trainableEmbedding,
      maskZero: options.maskZero ?? false,
      ...this.name('embedding'),
    });
    // Build now (inside the layer's name scope, as apply does) so pretrained vectors can be set before the model exists.
    tf.tidy(() => void this.embedding.apply(tf.zeros([1, config.maxLength], 'int32')));
    this.tokenMaskLayer = new PaddingMask({ padId: config.padId, ...this.name('padding_mask') });
  }

  /**
   * Replaces the embedding table, e.g. with pretrained word vectors from
   * `embeddingMatrix`. `matrix` is row-major `[vocabSize, embeddingDim]`.
   */
  setEmbeddingMatrix(matrix: Float32Array): void {
    const [vocabSize, dim] = [(this.config.config as TextInputConfig).vocabSize, this.embeddingDim];
    if (matrix.length !== vocabSize * dim) {
      throw new ConfigError(`setEmbeddingMatrix: got ${matrix.length} values; expected vocabSize × embeddingDim = ${vocabSize} × ${dim}.`);
    }
    const table = tf.tensor2d(matrix, [vocabSize, dim]);
    this.embedding.setWeights([table]);
    table.dispose();
  }

  abstract apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  abstract apply(input: tf.Tensor): tf.Tensor;

  /** `[B, maxLength]` float32: 1 where the token id is not `padId`, 0 at padding (symbolic or concrete). */
  protected tokenMask(input: T): T {
    return this.call(this.tokenMaskLayer, input);
  }

  /** Offers `tokenMask` as the contract's `paddingMask`; call it when the output is a sequence. */
  protected providePaddingMask(): void {
    this.paddingMask = ((input: T) => this.tokenMask(input)) as NonNullable<Encoder['paddingMask']>;
  }

  protected call(layer: tf.layers.Layer, input: T | T[]): T {
    return layer.apply(input as tf.Tensor) as T;
  }
}
