import { tf } from '../tf.js';
import type { LayerArgs, LayerShape as Shape } from './layerArgs.js';

/** `[B, T, D]` → `[B, D]`: the state of the first token (the class token in ViT/BERT pooling). */
export class FirstToken extends tf.layers.Layer {
  static className = 'PolyfuseFirstToken';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0]!, shape[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      return tf.squeeze(tf.slice(x, [0, 0, 0], [-1, 1, -1]), [1]);
    });
  }
}
tf.serialization.registerClass(FirstToken);
