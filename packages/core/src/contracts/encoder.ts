import type { tf } from '../tf.js';

/**
 * An encoder turns one modality's input into an embedding: pooled `[B, D]` or
 * a sequence `[B, T, D]`. It is built from tfjs-layers layers, so `apply` works
 * on symbolic tensors (to build a LayersModel) and on concrete ones (eagerly).
 *
 * Registry factories (`encoder/<name>`) receive the validated config.
 */
export interface Encoder {
  /** Shape of one sample, without the batch dimension, e.g. `[28, 28, 1]`. */
  readonly inputShape: number[];
  /** Input dtype: `float32` for pixels and spectrograms, `int32` for token ids. */
  readonly inputDtype: 'float32' | 'int32';
  /** Shape of one sample's embedding: `[D]` pooled or `[T, D]` sequence. */
  readonly outputShape: number[];
  /** The config it was built from (registry name and options), for saving. */
  readonly config: Record<string, unknown>;
  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
  /**
   * Encoders whose output is a sequence `[B, T, D]` say which steps are real:
   * `[B, T]` float32, 1 for a real step and 0 for padding, computed from the
   * same input (e.g. token ids that are not the pad id). Fusions, decoders'
   * cross-attention and pooling use it instead of guessing from zeros.
   * Absent: every step is real.
   */
  paddingMask?(input: tf.SymbolicTensor): tf.SymbolicTensor;
  paddingMask?(input: tf.Tensor): tf.Tensor;
}
