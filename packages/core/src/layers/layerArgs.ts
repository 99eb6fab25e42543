import { tf } from '../tf.js';

/** Constructor arguments every tfjs-layers layer accepts (name, trainable, inputShape, ...). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** What tfjs passes as a layer's input shape: one shape, or one per input. */
export type LayerShape = (number | null)[];

/** The input tensors of a layer called with one tensor or a list. */
export function inputList(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(inputs) ? inputs : [inputs];
}

/** The shapes tfjs passes to build/computeOutputShape, always as a list. */
export function shapeList(shape: LayerShape | LayerShape[]): LayerShape[] {
  return Array.isArray(shape[0]) ? (shape as LayerShape[]) : [shape as LayerShape];
}
