import { ConfigError } from '@polyfuse/core';
import type { LabelConfig } from './runConfig.js';
import type { DeclaredOutput } from './taskOutputs.js';

/** Built-in losses, by the target type they score. Plugin losses are not checked. */
const lossTargets: Record<string, LabelConfig['type']> = {
  'cross-entropy': 'class',
  nll: 'class',
  'bce-with-logits': 'multilabel',
  'sigmoid-focal': 'multilabel',
  mse: 'regression',
  l1: 'regression',
  huber: 'regression',
  'smooth-l1': 'regression',
  'sequence-cross-entropy': 'sequence',
  'clip-contrastive': 'match',
};

/**
 * Checks that a loss term's outputs exist and suit its loss and target: a
 * contrastive loss reads two `embedding_*` outputs and a `match` target, a
 * sequence loss a decoder's `tokens_*` output, and so on. Errors name the
 * field path and what is allowed.
 */
export function checkLossTerm(at: string, term: { loss: string; output: string; outputs?: string[]; target: string }, outputs: DeclaredOutput[], labels: Record<string, LabelConfig>): void {
  const names = outputs.map((o) => o.name);
  const read = term.outputs ?? [term.output];
  for (const [i, name] of read.entries()) {
    if (!names.includes(name)) {
      throw new ConfigError(`${at}.${term.outputs ? `outputs[${i}]` : 'output'} must be one of ${names.map((o) => JSON.stringify(o)).join(', ')}, got ${JSON.stringify(name)}.`);
    }
  }
  const kinds = read.map((name) => outputs.find((o) => o.name === name)!.kind);
  const expected = lossTargets[term.loss];
  if (expected === 'match' || term.outputs) {
    if (expected && expected !== 'match') throw new ConfigError(`${at}.outputs: '${term.loss}' reads one output; use output, not outputs.`);
    if (read.length !== 2 || kinds.some((k) => k !== 'embedding')) {
      const embeddings = outputs.filter((o) => o.kind === 'embedding').map((o) => o.name);
      throw new ConfigError(`${at}.outputs: a contrastive loss reads two embedding outputs (${embeddings.join(', ') || 'none: add a projection head for a match target'}), got ${JSON.stringify(read)}.`);
    }
  }
  if (expected === 'sequence' && kinds[0] !== 'tokens') throw new ConfigError(`${at}.output: '${term.loss}' scores a decoder's tokens_<head> output, got '${read[0]}' (${kinds[0]}).`);
  if (expected === 'regression' && kinds[0] !== 'values') throw new ConfigError(`${at}.output: '${term.loss}' scores a regression head's values_<head> output, got '${read[0]}' (${kinds[0]}).`);
  if ((expected === 'class' || expected === 'multilabel') && kinds[0] !== 'logits') throw new ConfigError(`${at}.output: '${term.loss}' scores logits, got '${read[0]}' (${kinds[0]}).`);
  const type = labels[term.target]?.type ?? 'class';
  if (expected && expected !== type) {
    throw new ConfigError(`${at}.loss: '${term.loss}' needs a ${expected} target, but '${term.target}' is a ${type} target.`);
  }
}
