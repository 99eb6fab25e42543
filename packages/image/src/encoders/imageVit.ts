import { ConfigError, FirstToken, PositionEmbedding, componentConfig, layerNamer, registry, tf, transformerEncoderBlock, validateConfig, type ConfigSchema, type Encoder } from '@polyfuse/core';
import { ClassToken } from '../layers/classToken.js';
import { checkImageInputShape } from './checkInputShape.js';

/** Options of `encoder/image-vit`. */
export interface ImageVitConfig {
  inputShape: number[];
  /** Side of the square patches; height and width must be multiples of it. Default 4. */
  patchSize: number;
  /** Width of the token embeddings. Default 32. */
  modelDim: number;
  /** Transformer blocks. Default 2. */
  depth: number;
  numHeads: number;
  /** Feed-forward hidden units. Default 2 × modelDim. */
  ffUnits: number;
  /**
   * `first`: a learned class token is prepended and its final state is the
   * embedding (ViT's [CLS]); `mean`: the mean over patch tokens. Default `first`
   * (formerly `class`).
   */
  pooling: 'first' | 'mean';
  dropout: number;
  modality?: string;
}

export const imageVitSchema: ConfigSchema = {
  inputShape: { type: 'number[]', required: true, description: '[height, width, channels] of one image.' },
  patchSize: { type: 'integer', min: 1, default: 4 },
  modelDim: { type: 'integer', min: 1, default: 32 },
  depth: { type: 'integer', min: 1, default: 2 },
  numHeads: { type: 'integer', min: 1, default: 4 },
  ffUnits: { type: 'integer', min: 0, default: 0, description: 'Feed-forward units; 0 means 2 × modelDim.' },
  pooling: { type: 'string', enum: ['first', 'mean'], default: 'first', description: 'first: a class token\'s final state; mean: the mean over patch tokens.', deprecated: { values: { class: 'first' } } },
  dropout: { type: 'number', min: 0, max: 0.99, default: 0 },
};

type T = tf.SymbolicTensor | tf.Tensor;

/**
 * Vision Transformer (Dosovitskiy et al. 2021): non-overlapping patches
 * embedded by a `patchSize`-strided conv, an optional class token, learned
 * position embeddings, pre-norm transformer blocks and a final layer norm;
 * pooled by the class token or the mean of the patch tokens. Output `[modelDim]`.
 */
export class ImageVitEncoder implements Encoder {
  readonly inputShape: number[];
  readonly inputDtype = 'float32' as const;
  readonly outputShape: number[];
  readonly config: Record<string, unknown>;
  private readonly run: (x: T) => T;

  constructor(config: Partial<ImageVitConfig> & { inputShape: number[] }) {
    const { modality, ...options } = config;
    const c = validateConfig<ImageVitConfig & Record<string, unknown>>(imageVitSchema, options, 'encoder/image-vit');
    const [height, width] = (this.inputShape = checkImageInputShape(c.inputShape, 'encoder/image-vit'));
    if (height % c.patchSize !== 0 || width % c.patchSize !== 0) {
      throw new ConfigError(`encoder/image-vit: inputShape ${height}×${width} is not divisible by patchSize ${c.patchSize}.`);
    }
    if (c.modelDim % c.numHeads !== 0) {
      throw new ConfigError(`encoder/image-vit: modelDim ${c.modelDim} must be divisible by numHeads ${c.numHeads}.`);
    }
    this.config = componentConfig('image-vit', c);
    const name = layerNamer(modality, 'vit');
    const patches = (height / c.patchSize) * (width / c.patchSize);
    const patchEmbed = tf.layers.conv2d({ filters: c.modelDim, kernelSize: c.patchSize, strides: c.patchSize, ...name('patch_embed') });
    const toSequence = tf.layers.reshape({ targetShape: [patches, c.modelDim], ...name('patch_sequence') });
    const classToken = c.pooling === 'first' ? new ClassToken({ ...name('class_token') }) : undefined;
    const tokens = patches + (classToken ? 1 : 0);
    const positions = new PositionEmbedding({ maxLength: tokens, ...name('position') });
    const blocks = Array.from({ length: c.depth }, (_, i) =>
      transformerEncoderBlock({ modelDim: c.modelDim, numHeads: c.numHeads, ffUnits: c.ffUnits || 2 * c.modelDim, activation: 'relu', dropout: c.dropout, namePrefix: name(`block${i + 1}`).name }),
    );
    const finalNorm = tf.layers.layerNormalization({ epsilon: 1e-6, ...name('ln') });
    const pool = classToken
      ? [new FirstToken({ ...name('take_class') })]
      : [tf.layers.globalAveragePooling1d({ ...name('mean_pool') })];
    this.run = (x) => {
      let h = toSequence.apply(patchEmbed.apply(x as tf.Tensor)) as tf.Tensor;
      if (classToken) h = classToken.apply(h) as tf.Tensor;
      h = positions.apply(h) as tf.Tensor;
      for (const block of blocks) h = block.apply(h);
      h = finalNorm.apply(h) as tf.Tensor;
      return pool.reduce((acc, layer) => layer.apply(acc) as tf.Tensor, h);
    };
    this.outputShape = [c.modelDim];
  }

  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
  apply(input: T): T {
    return this.run(input);
  }
}

registry.register(
  {
    kind: 'encoder',
    name: 'image-vit',
    description: 'Vision Transformer: patch embedding, class token or mean pooling, transformer blocks. [H, W, C] → [modelDim].',
    schema: imageVitSchema,
    create: (config: ImageVitConfig) => new ImageVitEncoder(config),
  },
  { override: true },
);
