import type { tf } from '../tf.js';

/** What a fusion factory is told besides its config: the shapes it will fuse. */
export interface FusionContext {
  /** Per-sample embedding shape of each modality, e.g. `{ image: [64], audio: [64] }`. */
  inputShapes: Record<string, number[]>;
}

/**
 * A fusion combines a record of embeddings, keyed by modality, into one
 * `[B, D]` tensor. `masks` holds a `[B]` presence mask per modality (1 present,
 * 0 absent): the output must be defined, and independent of the absent values,
 * when a modality is missing for some samples.
 *
 * Registry factories (`fusion/<name>`) receive the validated config merged with
 * a FusionContext.
 */
export interface Fusion {
  /** The modalities it fuses, in a fixed order. */
  readonly modalities: string[];
  /** Shape of one fused sample, e.g. `[128]`. */
  readonly outputShape: number[];
  readonly config: Record<string, unknown>;
  /** Builds the fusion into a graph (symbolic) or runs it (concrete tensors). */
  /**
   * `paddingMasks` holds a `[B, T]` mask (1 real step, 0 padding) for each
   * modality whose encoder gives a sequence `[B, T, D]` and a padding mask.
   */
  apply(embeddings: Record<string, tf.SymbolicTensor>, masks: Record<string, tf.SymbolicTensor>, paddingMasks?: Record<string, tf.SymbolicTensor>): tf.SymbolicTensor;
  apply(embeddings: Record<string, tf.Tensor>, masks: Record<string, tf.Tensor>, paddingMasks?: Record<string, tf.Tensor>): tf.Tensor;
}
