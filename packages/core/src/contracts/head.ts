import type { tf } from '../tf.js';
import type { TargetInfo } from './target.js';

/** What a head factory is told besides its config. */
export interface HeadContext {
  /** Per-sample shape of the head's input, e.g. `[128]`, or `[T, D]` for a sequence. */
  inputShape: number[];
  /** Layer-name prefix, unique per head in a model. */
  namePrefix?: string;
  /** The fitted target the head predicts (named heads only): sizes come from it. */
  target?: TargetInfo;
  /** Decoders rebuilt from a saved model: the loaded layer of each name, reused instead of new layers. */
  existingLayer?: (name: string) => tf.layers.Layer | undefined;
}

/** A head maps a fused (or unimodal) embedding to the task's output, e.g. logits. */
export interface Head {
  readonly outputShape: number[];
  readonly config: Record<string, unknown>;
  apply(input: tf.SymbolicTensor): tf.SymbolicTensor;
  apply(input: tf.Tensor): tf.Tensor;
}

/**
 * A head that writes token sequences (a caption, an answer): teacher-forced
 * inside the model graph, and run step by step (greedy or beam search) on a
 * context computed by the rest of the model at validation and prediction.
 * Registry entries of kind `head` that return one set `kind: 'decoder'`.
 */
export interface DecoderHead {
  readonly kind: 'decoder';
  readonly config: Record<string, unknown>;
  /** Special ids the decoder was built with. */
  readonly padId: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly maxLength: number;
  /**
   * Wires teacher forcing into the model graph: the context (`[B, D]`, or
   * `[B, S, D]` with its `[B, S]` padding mask) and the input tokens
   * `[B, T]` give logits `[B, T, vocabSize]`, where step t predicts token t + 1.
   */
  applyDecoder(context: tf.SymbolicTensor, contextMask: tf.SymbolicTensor | undefined, tokens: tf.SymbolicTensor): tf.SymbolicTensor;
  /** Greedy decoding on a concrete context: ids per sample, without bos / eos / pad. */
  greedy(context: tf.Tensor, options?: { contextMask?: tf.Tensor; maxLength?: number }): number[][];
  /** Beam search on a concrete context: the best ids per sample and their length-normalised log-probabilities. */
  beamSearch(context: tf.Tensor, options?: { contextMask?: tf.Tensor; beamWidth?: number; maxLength?: number; lengthPenalty?: number }): { ids: number[][]; scores: number[] };
}

/** True when a built head is a decoder head. */
export function isDecoderHead(head: unknown): head is DecoderHead {
  return typeof head === 'object' && head !== null && (head as { kind?: unknown }).kind === 'decoder';
}
