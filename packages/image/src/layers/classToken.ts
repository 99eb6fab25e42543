import { tf } from '@polyfuse/core';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Shape = (number | null)[];

/**
 * Prepends one learned token to a sequence: `[B, T, D]` → `[B, T + 1, D]`
 * (ViT's and BERT's `[CLS]` token, whose final state is the pooled output).
 */
export class ClassToken extends tf.layers.Layer {
  static className = 'PolyfuseClassToken';
  private token!: tf.LayerVariable;

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    this.token = this.addWeight('token', [1, 1, shape[2] as number], 'float32', tf.initializers.randomNormal({ stddev: 0.02 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0]!, shape[1] === null ? null : (shape[1] as number) + 1, shape[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const tokens = tf.tile(this.token.read(), [x.shape[0] as number, 1, 1]);
      return tf.concat([tokens, x], 1);
    });
  }
}
tf.serialization.registerClass(ClassToken);
