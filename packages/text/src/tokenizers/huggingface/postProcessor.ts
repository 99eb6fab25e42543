import { ConfigError } from '@polyfuse/core';
import { unsupported, type ComponentSpec } from './spec.js';

/** Adds special tokens around one sequence's ids. */
export type PostProcessor = (ids: number[]) => number[];

/**
 * Single-sequence behaviour of HF's post-processors: BertProcessing and
 * RobertaProcessing give `cls … sep`; TemplateProcessing follows its `single`
 * template; ByteLevel (offsets only) and null add nothing.
 */
export function buildPostProcessor(spec: ComponentSpec, where = 'post_processor'): PostProcessor {
  if (!spec) return (ids) => ids;
  switch (spec.type) {
    case 'BertProcessing':
    case 'RobertaProcessing': {
      const cls = (spec.cls as [string, number])[1];
      const sep = (spec.sep as [string, number])[1];
      return (ids) => [cls, ...ids, sep];
    }
    case 'TemplateProcessing': {
      const specials = (spec.special_tokens as Record<string, { ids: number[] }>) ?? {};
      const template = (spec.single as Record<string, { id: string }>[]) ?? [];
      return (ids) =>
        template.flatMap((item) => {
          if (item.Sequence) return ids;
          const name = item.SpecialToken?.id;
          const entry = name !== undefined ? specials[name] : undefined;
          if (!entry) throw new ConfigError(`tokenizer.json ${where}.single names special token ${JSON.stringify(name)} missing from special_tokens.`);
          return entry.ids;
        });
    }
    case 'ByteLevel':
      return (ids) => ids;
    case 'Sequence': {
      const parts = ((spec.processors as ComponentSpec[]) ?? []).map((s, i) => buildPostProcessor(s, `${where}.processors[${i}]`));
      return (ids) => parts.reduce((acc, f) => f(acc), ids);
    }
    default:
      throw unsupported(where, spec.type, ['BertProcessing', 'RobertaProcessing', 'TemplateProcessing', 'ByteLevel', 'Sequence']);
  }
}
