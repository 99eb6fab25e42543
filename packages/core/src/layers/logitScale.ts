import { tf } from '../tf.js';
import type { LayerArgs, LayerShape } from './layerArgs.js';

export interface LogitScaleArgs extends LayerArgs {
  /** Starting temperature; CLIP uses 0.07 (scale ≈ 14.3). */
  initialTemperature?: number;
  /** Largest scale; CLIP clamps at 100. */
  maxScale?: number;
}

/**
 * CLIP's learnable temperature as a layer, so it trains, checkpoints and saves
 * with the model's weights. Its weight is `log(scale)`, initialised to
 * `log(1 / initialTemperature)`; the output is `exp(clamp(log_scale, 0,
 * ln maxScale))` repeated once per row of its input (`[B, ...]` → `[B]`),
 * which contrastive losses read as the logit scale (Radford et al. 2021).
 */
export class LogitScale extends tf.layers.Layer {
  static className = 'PolyfuseLogitScale';
  readonly initialTemperature: number;
  readonly maxScale: number;
  private logScale!: tf.LayerVariable;

  constructor(args: LogitScaleArgs = {}) {
    super(args);
    this.initialTemperature = args.initialTemperature ?? 0.07;
    this.maxScale = args.maxScale ?? 100;
  }

  override build(): void {
    const initial = Math.min(Math.max(Math.log(1 / this.initialTemperature), 0), Math.log(this.maxScale));
    this.logScale = this.addWeight('log_scale', [], 'float32', tf.initializers.constant({ value: initial }));
    this.built = true;
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as LayerShape;
    return [shape[0]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const scale = tf.exp(tf.clipByValue(this.logScale.read(), 0, Math.log(this.maxScale)));
      return tf.mul(tf.ones([x.shape[0]!]), scale);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), initialTemperature: this.initialTemperature, maxScale: this.maxScale };
  }
}
tf.serialization.registerClass(LogitScale);
