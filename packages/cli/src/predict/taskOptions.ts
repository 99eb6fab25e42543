import { ConfigError, type MultimodalModel, type NamedHeadInfo } from '@polyfuse/core';

/** A match head and the modalities it projects (from its `embedding_<modality>` outputs). */
export interface MatchHead {
  head: string;
  info: NamedHeadInfo;
  modalities: string[];
}

/** Named heads of a model, in declaration order (none for a `model.head` classification run). */
export function namedHeads(model: MultimodalModel): [string, NamedHeadInfo][] {
  return Object.entries(model.metadata.heads ?? {});
}

/** `shape (class), caption (sequence)`: the heads of a model, for error messages. */
export function describeHeads(model: MultimodalModel): string {
  const heads = namedHeads(model);
  return heads.length > 0 ? heads.map(([h, i]) => `${h} (${i.targetType})`).join(', ') : 'none; the model has one classification output, logits';
}

/** Heads that generate text (text-decoder heads on a sequence target). */
export function decoderHeads(model: MultimodalModel): string[] {
  return namedHeads(model).filter(([, i]) => i.kind === 'tokens').map(([h]) => h);
}

/** Heads that project modalities into a shared space (projection heads on a match target). */
export function matchHeads(model: MultimodalModel): MatchHead[] {
  return namedHeads(model)
    .filter(([, i]) => i.kind === 'embedding')
    .map(([head, info]) => ({ head, info, modalities: info.outputs.filter((o) => o.startsWith('embedding_')).map((o) => o.slice('embedding_'.length)) }));
}

/** Checks `--beam`: only a run with decoder heads generates text. */
export function checkBeam(model: MultimodalModel, beam: number | undefined): void {
  if (beam === undefined) return;
  if (!Number.isInteger(beam) || beam < 1) throw new ConfigError(`--beam must be an integer >= 1, got ${beam}.`);
  if (decoderHeads(model).length === 0) {
    throw new ConfigError(`--beam sets the beam width of decoder heads (text-decoder on a sequence target); this run has none (heads: ${describeHeads(model)}). Leave --beam out.`);
  }
}

/**
 * Checks `--query` and `--top` and returns the match heads that project the
 * query modality: a run without match heads, or a modality none of them
 * projects, is an error that lists what is allowed.
 */
export function checkQuery(model: MultimodalModel, query: string | undefined, top: number | undefined): MatchHead[] {
  if (query === undefined) {
    if (top !== undefined) throw new ConfigError('--top sets how many matches --query lists; give --query <modality> with it.');
    return [];
  }
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) throw new ConfigError(`--top must be an integer >= 1, got ${top}.`);
  const heads = matchHeads(model);
  if (heads.length === 0) {
    throw new ConfigError(`--query needs a match head (projection on a match target); this run has none (heads: ${describeHeads(model)}). Leave --query out.`);
  }
  const projecting = heads.filter((h) => h.modalities.includes(query));
  if (projecting.length === 0) {
    const allowed = [...new Set(heads.flatMap((h) => h.modalities))];
    throw new ConfigError(`--query '${query}': no match head projects that modality (${heads.map((h) => `${h.head}: ${h.modalities.join(', ')}`).join('; ')}). Pass --query ${allowed.join(' or --query ')}.`);
  }
  return projecting;
}
