import { ConfigError, embeddingOutputName, headOutputName, logitScaleOutputName, type MultimodalModelSpec, type OutputKind } from '@polyfuse/core';
import type { LabelConfig } from './runConfig.js';

/** An output a config's model will have, known before anything is built. */
export interface DeclaredOutput {
  name: string;
  kind: OutputKind;
  /** The target it predicts (for the main `logits`: undefined, the main label). */
  target?: string;
  /** The named head that makes it. */
  head?: string;
}

/**
 * The outputs a model spec declares, with their kinds: `logits` of the main
 * head, `logits_<modality>` of auxiliary heads, and each named head's outputs
 * named by its target's type (docs/tasks.md).
 */
export function declaredOutputs(model: MultimodalModelSpec, labels: Record<string, LabelConfig>): DeclaredOutput[] {
  const outputs: DeclaredOutput[] = [];
  if (model.head) outputs.push({ name: 'logits', kind: 'logits' });
  if (model.auxiliaryHeads) for (const m of Object.keys(model.encoders)) outputs.push({ name: `logits_${m}`, kind: 'logits' });
  for (const [head, spec] of Object.entries(model.heads ?? {})) {
    const type = labels[spec.target]?.type ?? 'class';
    if (type === 'match') {
      const modalities = (spec.config?.modalities as string[] | undefined) ?? Object.keys(model.encoders);
      for (const m of modalities) outputs.push({ name: embeddingOutputName(m), kind: 'embedding', target: spec.target, head });
      if (spec.config?.learnableTemperature !== false) outputs.push({ name: logitScaleOutputName, kind: 'scale', target: spec.target, head });
    } else {
      outputs.push({ name: headOutputName(type, head), kind: type === 'regression' ? 'values' : type === 'sequence' ? 'tokens' : 'logits', target: spec.target, head });
    }
  }
  return outputs;
}

/**
 * Two heads may not make the same output (two projection heads over the same
 * modalities both give `embedding_<modality>`; a head named after a modality
 * gives the `logits_<modality>` of auxiliary heads), or the model cannot be built.
 */
export function checkDistinctOutputs(outputs: DeclaredOutput[]): void {
  const makers = new Map<string, string>();
  for (const output of outputs) {
    const maker = output.head ? `model.heads.${output.head}` : output.name === 'logits' ? 'model.head' : 'model.auxiliaryHeads';
    const other = makers.get(output.name);
    if (other !== undefined && other !== maker) {
      throw new ConfigError(`${maker}: its output '${output.name}' is also made by ${other}; rename the head, or give a projection head other config.modalities.`);
    }
    makers.set(output.name, maker);
  }
}
