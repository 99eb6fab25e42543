import { tf } from '@polyfuse/core';

/**
 * Adds a learned position embedding `[T, D]` to a `[B, T, D]` sequence
 * (BERT/ViT style). A tfjs-layers layer, registered for serialisation.
 */
export class PositionalEmbedding extends tf.layers.Layer {
  static readonly className = 'PolyfuseAudioPositionalEmbedding';
  private embedding?: tf.LayerVariable;

  constructor(args: { name?: string; trainable?: boolean } = {}) {
    super(args);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    this.embedding = this.addWeight('embedding', [shape[1]!, shape[2]!], 'float32', tf.initializers.randomNormal({ mean: 0, stddev: 0.02 }));
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      return tf.add(x, this.embedding!.read());
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig() };
  }
}
tf.serialization.registerClass(PositionalEmbedding);
