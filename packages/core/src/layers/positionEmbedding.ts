import { tf } from '../tf.js';
import { ConfigError, InputError, formatShape } from '../errors/errors.js';
import type { LayerArgs, LayerShape } from './layerArgs.js';

export interface PositionEmbeddingArgs extends LayerArgs {
  /** Longest sequence it can embed. */
  maxLength: number;
}

/**
 * Adds a learned position embedding to `[B, T, D]` (BERT / ViT style): row t of
 * a `[maxLength, D]` table is added at position t. tfjs-layers has no such layer.
 */
export class PositionEmbedding extends tf.layers.Layer {
  static className = 'PolyfusePositionEmbedding';
  readonly maxLength: number;
  private table!: tf.LayerVariable;

  constructor(args: PositionEmbeddingArgs) {
    super(args);
    if (!Number.isInteger(args.maxLength) || args.maxLength < 1) {
      throw new ConfigError(`PositionEmbedding: maxLength must be a positive integer, got ${args.maxLength}.`);
    }
    this.maxLength = args.maxLength;
  }

  override build(inputShape: LayerShape | LayerShape[]): void {
    const shape = inputShape as LayerShape;
    this.table = this.addWeight('embeddings', [this.maxLength, shape[shape.length - 1] as number], 'float32', tf.initializers.randomNormal({ stddev: 0.02 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return inputShape as LayerShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const length = x.shape[1] as number;
      if (length > this.maxLength) {
        throw new InputError(`PositionEmbedding '${this.name}': sequence of shape ${formatShape(x.shape)} is longer than maxLength ${this.maxLength}.`);
      }
      return tf.add(x, tf.slice(this.table.read(), [0, 0], [length, -1]));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), maxLength: this.maxLength };
  }
}
tf.serialization.registerClass(PositionEmbedding);
