import { tf, ConfigError, type Encoder, type RegistryEntry } from '@polyfuse/core';

export interface FlattenEncoderOptions {
  /** Per-sample input shape, e.g. `[28, 28, 1]`. */
  inputShape: number[];
  /** Input dtype. Default `float32`. */
  inputDtype?: 'float32' | 'int32';
  /** Modality name, used to name the layer. */
  modality?: string;
}

/**
 * An encoder with no weights: it flattens the raw input to `[B, prod(shape)]`
 * so that early fusion sees low-level inputs. A rank-1 input passes unchanged.
 */
export function createFlattenEncoder(options: FlattenEncoderOptions): Encoder {
  const { inputShape } = options;
  if (!Array.isArray(inputShape) || inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ConfigError(`encoder/flatten.inputShape must be a list of positive integers (the per-sample shape), got ${JSON.stringify(inputShape)}.`);
  }
  const size = inputShape.reduce((a, b) => a * b, 1);
  const reshape = inputShape.length > 1 ? tf.layers.reshape({ targetShape: [size], name: options.modality ? `${options.modality}_flatten` : undefined }) : undefined;
  return {
    inputShape: [...inputShape],
    inputDtype: options.inputDtype ?? 'float32',
    outputShape: [size],
    config: { inputShape, inputDtype: options.inputDtype ?? 'float32' },
    apply: ((x: tf.Tensor | tf.SymbolicTensor) => (reshape ? reshape.apply(x as tf.Tensor) : x)) as Encoder['apply'],
  };
}

export const flattenEncoderEntry: RegistryEntry<Record<string, unknown>, Encoder> = {
  kind: 'encoder',
  name: 'flatten',
  description: 'Identity/flatten encoder: raw inputs reach the fusion (for early fusion).',
  schema: {
    inputShape: { type: 'number[]', required: true, description: 'Per-sample input shape.' },
    inputDtype: { type: 'string', enum: ['float32', 'int32'], default: 'float32', description: 'Input dtype.' },
  },
  create: (config) => createFlattenEncoder(config as unknown as FlattenEncoderOptions),
};
