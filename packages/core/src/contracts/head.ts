import type { tf } from '../tf.js';

/** What a head factory is told besides its config. */
export interface HeadContext {
  /** Per-sample shape of the head's input, e.g. `[128]`. */
  inputShape: number[];
}

/** A head maps a fused (or unimodal) embedding to the task's output, e.g. logits. */
export interface Head {
  readonly outputShape: number[];
  readonly config: Record<string, unknown>;
  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
}
