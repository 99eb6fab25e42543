import type { ComponentSpec, NamedHeadSpec } from '@polyfuse/core';
import type { LabelConfig, LossTermConfig } from './runConfig.js';
import type { DeclaredOutput } from './taskOutputs.js';

/** The loss a target type trains with when `loss.terms` does not say. */
const defaultLoss: Record<LabelConfig['type'], string> = {
  class: 'cross-entropy',
  multilabel: 'bce-with-logits',
  regression: 'mse',
  sequence: 'sequence-cross-entropy',
  match: 'clip-contrastive',
};

/** The metrics a target type is scored with when `metrics` does not say. */
const defaultMetrics: Record<LabelConfig['type'], string[]> = {
  class: ['accuracy', 'f1'],
  multilabel: ['multilabel-f1', 'map'],
  regression: ['mae', 'rmse', 'r2'],
  sequence: ['bleu', 'cider', 'rouge-l', 'exact-match'],
  match: ['recall@1', 'recall@5', 'recall@10', 'median-rank'],
};

/** The outputs a head's loss and metrics read: its prediction, or its two embeddings. */
export function headOutputs(head: string, outputs: DeclaredOutput[]): { output?: string; outputs?: string[] } {
  const own = outputs.filter((o) => o.head === head);
  const embeddings = own.filter((o) => o.kind === 'embedding').map((o) => o.name);
  return embeddings.length >= 2 ? { outputs: embeddings.slice(0, 2) } : { output: own[0]!.name };
}

/** One loss term per named head, with the loss its target type usually trains with. */
export function defaultLossTerms(heads: Record<string, NamedHeadSpec>, labels: Record<string, LabelConfig>, outputs: DeclaredOutput[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(heads).map(([head, spec]) => [head, { loss: defaultLoss[labels[spec.target]!.type], target: spec.target, ...headOutputs(head, outputs) } satisfies Partial<LossTermConfig>]),
  );
}

/** The metrics of every named head, by its target type. */
export function defaultHeadMetrics(heads: Record<string, NamedHeadSpec>, labels: Record<string, LabelConfig>, outputs: DeclaredOutput[]): ComponentSpec[] {
  return Object.entries(heads).flatMap(([head, spec]) =>
    defaultMetrics[labels[spec.target]!.type].map((name) => ({ name, config: { target: spec.target, ...headOutputs(head, outputs) } })),
  );
}
