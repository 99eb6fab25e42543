import { tf } from '../tf.js';
import type { LayerArgs, LayerShape } from './layerArgs.js';

/**
 * `[B, T, D]` → `[B, T]` ones: the padding mask of a sequence whose encoder
 * does not say which steps are padding (every step is real).
 */
export class SequenceOnes extends tf.layers.Layer {
  static className = 'PolyfuseSequenceOnes';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = inputShape as LayerShape;
    return [shape[0], shape[1]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.ones(x.shape.slice(0, 2));
  }
}
tf.serialization.registerClass(SequenceOnes);
