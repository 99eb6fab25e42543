import type { tf } from '../tf.js';

/** One batch as @polyfuse/data yields it and @polyfuse/trainer consumes it. */
export interface Batch {
  /** `[B, ...shape]` per modality; zeros where a modality is absent. */
  inputs: Record<string, tf.Tensor>;
  /** `[B]` presence per modality: 1 present, 0 absent. */
  mask: Record<string, tf.Tensor>;
  /** Targets per label field, e.g. `{ label: int32 [B] }`. */
  targets: Record<string, tf.Tensor>;
  /** Sample ids (manifest line or `id` field), for reports and predictions. */
  ids: string[];
  /**
   * Every reference text per sample of each `sequence` target (a caption
   * target with several captions per image), for BLEU / CIDEr / ROUGE-L;
   * `targets.<name>` holds the one reference trained on.
   */
  references?: Record<string, string[][]>;
}
