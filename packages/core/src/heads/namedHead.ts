import type { ComponentSpec } from '../contracts/componentSpec.js';
import type { TargetType } from '../contracts/target.js';

/**
 * One entry of `model.heads`: a registry head (`mlp`, `text-decoder`,
 * `projection`, ...) that predicts one target from one input.
 */
export interface NamedHeadSpec extends ComponentSpec {
  /** The target (`data.labels.<name>`) it predicts; its type decides the output. */
  target: string;
  /** `fused` (default: the fusion's output) or a modality's own embedding. */
  input?: string;
}

/** What kind of value an output holds, which decides the losses, metrics and formatters that accept it. */
export type OutputKind = 'logits' | 'values' | 'tokens' | 'embedding' | 'scale' | 'context';

/** How a named head was wired, saved in polyfuse.json. */
export interface NamedHeadInfo {
  /** Registry name and validated options (sizes from the target are not in it). */
  spec: ComponentSpec;
  target: string;
  targetType: TargetType;
  /** `fused` or a modality. */
  input: string;
  /** The outputs it adds, in order; the first is its prediction. */
  outputs: string[];
  kind: OutputKind;
  /** Decoder heads: the int32 input holding teacher-forced tokens, and the per-sample shape of their context. */
  tokensInput?: string;
  contextShape?: number[];
}

/** Output name of a named head's prediction, by the kind of its target. */
export function headOutputName(targetType: TargetType, head: string): string {
  switch (targetType) {
    case 'regression':
      return `values_${head}`;
    case 'sequence':
      return `tokens_${head}`;
    default:
      return `logits_${head}`;
  }
}

/** Output name of a modality's projection (contrastive matching). */
export const embeddingOutputName = (modality: string): string => `embedding_${modality}`;

/** Output of the learnable contrastive temperature. */
export const logitScaleOutputName = 'logit_scale';

/** Outputs that carry a decoder's context (for generation). */
export const contextOutputName = (head: string): string => `context_${head}`;
export const contextMaskOutputName = (head: string): string => `context_mask_${head}`;

/** Model input holding a decoder head's teacher-forced tokens. */
export const tokensInputName = (head: string): string => `tokens_in_${head}`;

/** The kind of an output, from its name. */
export function outputKind(name: string): OutputKind {
  if (name.startsWith('tokens_')) return 'tokens';
  if (name.startsWith('values_')) return 'values';
  if (name.startsWith('embedding_')) return 'embedding';
  if (name === logitScaleOutputName) return 'scale';
  if (name.startsWith('context_')) return 'context';
  return 'logits';
}
