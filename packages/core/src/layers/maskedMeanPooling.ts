import { tf } from '../tf.js';
import { inputList, shapeList, type LayerArgs, type LayerShape } from './layerArgs.js';

/**
 * Mean over time of `[B, T, D]` counting only unmasked steps:
 * `apply([x, mask])` with mask `[B, T]` (1 real, 0 padding) gives
 * `sum_t mask[t] x[t] / max(sum_t mask[t], 1)`; `apply(x)` is the plain mean.
 * An all-padding row pools to zeros rather than NaN.
 */
export class MaskedMeanPooling extends tf.layers.Layer {
  static className = 'PolyfuseMaskedMeanPooling';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const [shape] = shapeList(inputShape);
    return [shape[0], shape[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, mask] = inputList(inputs);
      if (!mask) return tf.mean(x, 1);
      const weights = tf.expandDims(tf.cast(mask, 'float32'), 2);
      const total = tf.sum(tf.mul(x, weights), 1);
      return tf.div(total, tf.maximum(tf.sum(weights, 1), 1));
    });
  }
}
tf.serialization.registerClass(MaskedMeanPooling);
