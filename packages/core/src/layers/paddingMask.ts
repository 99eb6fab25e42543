import { tf } from '../tf.js';
import type { LayerArgs, LayerShape } from './layerArgs.js';

export interface PaddingMaskArgs extends LayerArgs {
  /** The id that marks padding. Default 0. */
  padId?: number;
}

/**
 * Token ids `[B, T]` → float mask `[B, T]`: 1 where the id is not `padId`,
 * 0 where it is. Feeds attention key masks and masked pooling.
 */
export class PaddingMask extends tf.layers.Layer {
  static className = 'PolyfusePaddingMask';
  readonly padId: number;

  constructor(args: PaddingMaskArgs = {}) {
    super(args);
    this.padId = args.padId ?? 0;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return inputShape as LayerShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const ids = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.cast(tf.notEqual(ids, tf.scalar(this.padId, ids.dtype)), 'float32');
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padId: this.padId };
  }
}
tf.serialization.registerClass(PaddingMask);
