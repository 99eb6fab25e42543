import { tf } from '../tf.js';
import { canConvBiasActivation, convBiasActivation } from '../backend/wasm-gradients/convBiasActivation.js';

/** The parts of tfjs-layers' Conv2D this subclass reads. */
interface ConvFields {
  kernel: tf.LayerVariable;
  bias?: tf.LayerVariable | null;
  strides: number[];
  padding: 'valid' | 'same' | 'causal';
  dataFormat: 'channelsFirst' | 'channelsLast';
  dilationRate: number | number[];
  activation: { getClassName(): string };
}

type Conv2DArgs = Parameters<typeof tf.layers.conv2d>[0];

// tfjs-layers exports the factory, not the class: take the class from an instance.
const TfjsConv2D = Object.getPrototypeOf(tf.layers.conv2d({ filters: 1, kernelSize: 1 })).constructor as new (args: Conv2DArgs) => tf.layers.Layer;

/**
 * tfjs-layers' Conv2D (same options, weights and serialised config) that,
 * with a linear or ReLU activation, channels-last data and no dilation,
 * avoids `tf.fused.conv2d`'s costs in training:
 * - on the wasm backend with the compiled kernels, conv, bias and ReLU run
 *   as one pass with a gradient of its own (`convBiasActivation`), instead
 *   of three ops that each write and re-read the whole activation;
 * - elsewhere, with a linear activation, `tf.conv2d` plus the bias: the
 *   fused op's gradient always computes the gradient with respect to its
 *   input, even when that input is the model's data and nothing needs it;
 *   separate ops let the gradient tape skip it (about 8 ms a training step
 *   for av-digits' first audio conv on wasm). `convBiasActivation` skips it
 *   too.
 * Used by `conv2dStack`.
 */
export class Conv2D extends TfjsConv2D {
  static className = 'PolyfuseConv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as ConvFields;
    const dilated = [self.dilationRate].flat().some((d) => d !== 1); // tf.conv2d has no gradient for dilation > 1
    const activation = self.activation.getClassName().toLowerCase();
    if ((activation !== 'linear' && activation !== 'relu') || self.dataFormat !== 'channelsLast' || self.padding === 'causal' || dilated) {
      return super.call(inputs, kwargs);
    }
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    const kernel = self.kernel.read() as tf.Tensor4D;
    if (canConvBiasActivation(x, kernel)) {
      const bias = self.bias ? (self.bias.read() as tf.Tensor1D) : undefined;
      return convBiasActivation(x, kernel, bias, { strides: self.strides as [number, number], pad: self.padding, activation });
    }
    if (activation !== 'linear') return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const y = tf.conv2d(x, kernel, self.strides as [number, number], self.padding as 'valid' | 'same');
      return self.bias ? tf.add(y, self.bias.read()) : y;
    });
  }
}
tf.serialization.registerClass(Conv2D as unknown as tf.serialization.SerializableConstructor<tf.layers.Layer>);

/** `new Conv2D(args)`, in the style of `tf.layers.conv2d`. */
export function conv2d(args: Conv2DArgs): Conv2D {
  return new Conv2D(args);
}
