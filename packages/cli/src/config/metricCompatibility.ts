import { ConfigError, type OutputKind } from '@polyfuse/core';
import type { LabelConfig } from './runConfig.js';
import type { DeclaredOutput } from './taskOutputs.js';

/** Built-in metrics, by the output kind and target type they score. Plugin metrics are not checked. */
const metricReads: Record<string, { kind: OutputKind; type: LabelConfig['type'] }> = {
  accuracy: { kind: 'logits', type: 'class' },
  f1: { kind: 'logits', type: 'class' },
  precision: { kind: 'logits', type: 'class' },
  recall: { kind: 'logits', type: 'class' },
  'roc-auc': { kind: 'logits', type: 'class' },
  'multilabel-f1': { kind: 'logits', type: 'multilabel' },
  map: { kind: 'logits', type: 'multilabel' },
  mae: { kind: 'values', type: 'regression' },
  rmse: { kind: 'values', type: 'regression' },
  r2: { kind: 'values', type: 'regression' },
  bleu: { kind: 'tokens', type: 'sequence' },
  cider: { kind: 'tokens', type: 'sequence' },
  'rouge-l': { kind: 'tokens', type: 'sequence' },
  'exact-match': { kind: 'tokens', type: 'sequence' },
  'recall@k': { kind: 'embedding', type: 'match' },
  'recall@1': { kind: 'embedding', type: 'match' },
  'recall@5': { kind: 'embedding', type: 'match' },
  'recall@10': { kind: 'embedding', type: 'match' },
  'median-rank': { kind: 'embedding', type: 'match' },
};

/**
 * Checks that a metric reads outputs of the kind it scores and a target of
 * its type (`mae` a regression head's `values_*` and a regression target,
 * `bleu` a decoder's `tokens_*`, ...), so a mismatch fails before training
 * rather than at the first validation. The outputs are known to exist.
 */
export function checkMetric(at: string, name: string, config: Record<string, unknown>, outputs: DeclaredOutput[], labels: Record<string, LabelConfig>): void {
  const reads = metricReads[name];
  if (!reads) return;
  const key = reads.kind === 'embedding' ? 'outputs' : 'output';
  const read = key === 'outputs' ? ((config.outputs as string[] | undefined) ?? []) : config.output === undefined ? [] : [config.output as string];
  const suitable = outputs.filter((o) => o.kind === reads.kind && (o.target === undefined ? labels[Object.keys(labels)[0]!]?.type === reads.type : labels[o.target]?.type === reads.type));
  for (const output of read) {
    const kind = outputs.find((o) => o.name === output)?.kind;
    if (kind !== undefined && kind !== reads.kind) {
      throw new ConfigError(
        `${at}.config.${key}: '${name}' scores ${describe(reads.kind)} of a ${reads.type} target (${suitable.map((o) => o.name).join(', ') || 'none in this model'}), got '${output}' (${kind}).`,
      );
    }
  }
  const target = config.target as string | undefined;
  const type = target === undefined ? undefined : labels[target]?.type;
  if (type !== undefined && type !== reads.type) {
    const targets = Object.keys(labels).filter((l) => labels[l]!.type === reads.type);
    throw new ConfigError(`${at}.config.target: '${name}' scores a ${reads.type} target (${targets.join(', ') || 'none in data.labels'}), but '${target}' is a ${type} target.`);
  }
}

function describe(kind: OutputKind): string {
  switch (kind) {
    case 'values':
      return "a regression head's values_<head> output";
    case 'tokens':
      return "a decoder's tokens_<head> output";
    case 'embedding':
      return 'two embedding_<modality> outputs';
    default:
      return 'logits';
  }
}
