import { PositionEmbedding, componentConfig, conv2dStack, layerNamePrefix, layerNamer, registry, tf, validateConfig, type ConfigSchema, type Conv2dStack, type Encoder } from '@polyfuse/core';
import { checkImageInputShape } from './checkInputShape.js';

/** Options of `encoder/image-cnn`. */
export interface ImageCnnConfig {
  /** `[height, width, channels]` of one image. */
  inputShape: number[];
  /** Filters per conv block. Default [16, 32]. */
  filters: number[];
  kernelSize: number;
  padding: 'same' | 'valid';
  activation: string;
  batchNorm: boolean;
  /** Max-pool size after each block (0 = none). Default 2. */
  pool: number;
  /**
   * `flatten` or `mean` (global average) the last feature map into one vector,
   * or keep it as a `sequence` of its `h·w` cells `[h·w, units]` with a learned
   * position embedding (what a captioning decoder cross-attends to). Default `flatten`.
   * Formerly `reduce` (with `globalAverage` for `mean`).
   */
  pooling: 'flatten' | 'mean' | 'sequence';
  /** Final dense layer width (0 = none: the embedding is the reduced feature map). Default 64. */
  units: number;
  dropout: number;
  /** Set by the registry from the model spec; prefixes layer names. */
  modality?: string;
}

export const imageCnnSchema: ConfigSchema = {
  inputShape: { type: 'number[]', required: true, description: '[height, width, channels] of one image.' },
  filters: { type: 'number[]', default: [16, 32], description: 'Filters of each conv block.' },
  kernelSize: { type: 'integer', min: 1, default: 3 },
  padding: { type: 'string', enum: ['same', 'valid'], default: 'same' },
  activation: { type: 'string', default: 'relu' },
  batchNorm: { type: 'boolean', default: false, description: 'Batch normalisation after each conv.' },
  pool: { type: 'integer', min: 0, default: 2, description: 'Max-pool size after each block; 0 disables.' },
  pooling: {
    type: 'string',
    enum: ['flatten', 'mean', 'sequence'],
    default: 'flatten',
    description: 'flatten / mean (global average) to a vector, or sequence: one step per feature-map cell (for cross-attention).',
    deprecated: { names: ['reduce'], values: { globalAverage: 'mean' } },
  },
  units: { type: 'integer', min: 0, default: 64, description: 'Embedding size (the final dense layer); 0 for none.' },
  dropout: { type: 'number', min: 0, max: 0.99, default: 0 },
};

/**
 * A configurable CNN: blocks of conv2d → [batch-norm] → activation → max-pool
 * (core's `conv2dStack`), flatten or global average pooling, then optional
 * dropout + dense. Input `[H, W, C]` float32, output `[units]` (or the
 * pooled feature size when units is 0), or with `pooling: sequence` one step
 * per cell of the last feature map, `[h·w, units]`.
 */
export class ImageCnnEncoder implements Encoder {
  readonly inputShape: number[];
  readonly inputDtype = 'float32' as const;
  readonly outputShape: number[];
  readonly config: Record<string, unknown>;
  private readonly stack: Conv2dStack;
  /** `pooling: sequence`: feature map cells as steps, plus where each cell is. */
  private readonly cells?: { reshape: tf.layers.Layer; positions: PositionEmbedding };

  constructor(config: Partial<ImageCnnConfig> & { inputShape: number[]; /** @deprecated Use `pooling`; removed after 0.1. */ reduce?: string }) {
    const { modality, ...options } = config;
    const checked = validateConfig<ImageCnnConfig & Record<string, unknown>>(imageCnnSchema, options, 'encoder/image-cnn');
    this.inputShape = checkImageInputShape(checked.inputShape, 'encoder/image-cnn');
    this.config = componentConfig('image-cnn', checked);
    const sequence = checked.pooling === 'sequence';
    const { pooling, units, ...stackOptions } = checked;
    this.stack = conv2dStack({
      ...stackOptions,
      reduce: pooling === 'sequence' ? 'none' : pooling === 'mean' ? 'globalAverage' : 'flatten',
      denseUnits: units,
      namePrefix: layerNamePrefix(modality, 'cnn'),
    });
    const mapShape = this.stack.outputShape(this.inputShape);
    if (sequence) {
      const [h, w, d] = mapShape as [number, number, number];
      const name = layerNamer(modality, 'cnn');
      this.cells = { reshape: tf.layers.reshape({ targetShape: [h * w, d], ...name('cells') }), positions: new PositionEmbedding({ maxLength: h * w, ...name('cell_positions') }) };
      this.outputShape = [h * w, d];
    } else {
      this.outputShape = mapShape;
    }
  }

  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
  apply(input: tf.SymbolicTensor | tf.Tensor): tf.SymbolicTensor | tf.Tensor {
    const map = this.stack.apply(input as tf.Tensor);
    if (!this.cells) return map;
    return this.cells.positions.apply(this.cells.reshape.apply(map)) as tf.Tensor;
  }
}

registry.register(
  {
    kind: 'encoder',
    name: 'image-cnn',
    description: 'Configurable CNN: conv → [batch-norm] → activation → max-pool blocks, then dense. [H, W, C] → [D].',
    schema: imageCnnSchema,
    create: (config: ImageCnnConfig) => new ImageCnnEncoder(config),
  },
  { override: true },
);
