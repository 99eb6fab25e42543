import { tf } from '@polyfuse/core';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Shape = (number | null)[];

/**
 * `apply([x, mask])`: zeroes the padded steps of `[B, T, D]` (`x * mask[..., None]`)
 * and ends any tfjs-layers mask there, so a sequence embedding can feed
 * layers that do not understand tfjs masks (fusions, custom heads).
 */
export class ApplyMask extends tf.layers.Layer {
  static className = 'PolyfuseApplyMask';

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  }

  override computeMask(): tf.Tensor {
    return null as unknown as tf.Tensor; // tfjs reads null as "no mask"
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, mask] = inputs as tf.Tensor[];
      return tf.mul(x!, tf.expandDims(tf.cast(mask!, 'float32'), 2));
    });
  }
}
tf.serialization.registerClass(ApplyMask);
