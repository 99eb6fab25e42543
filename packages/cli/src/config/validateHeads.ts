import { ConfigError, registry, validateConfig, type ConfigSchema, type NamedHeadSpec } from '@polyfuse/core';
import type { LabelConfig } from './runConfig.js';

const headSchema: ConfigSchema = {
  name: { type: 'string', required: true, description: 'Registry head: mlp, linear, text-decoder, projection, ...' },
  target: { type: 'string', description: 'The label it predicts (data.labels.<name>); default: the only label.' },
  input: { type: 'string', default: 'fused', description: "'fused' or a modality's own embedding." },
  config: { type: 'object', default: {} },
};

/** Options the fitted target decides; a config that types them is refused, so they never disagree with the data. */
const dataDecided = ['units', 'vocabSize', 'maxLength', 'contextShape', 'inputShape', 'padId', 'bosId', 'eosId'];

/** What each target type needs its head to produce (a registry head's `traits.produces`). */
const produces: Record<LabelConfig['type'], 'tokens' | 'embedding' | undefined> = {
  class: undefined,
  multilabel: undefined,
  regression: undefined,
  sequence: 'tokens',
  match: 'embedding',
};

/**
 * Validates `model.heads`: each names a registered head, a target from
 * `data.labels` and an input (`fused` or a modality); the head suits the
 * target's type (a decoder for a sequence, a projection for a match target,
 * neither otherwise); sizes the data decides are not typed; the head's own
 * options are validated against its schema.
 */
export function validateHeads(raw: unknown, at: string, labels: Record<string, LabelConfig>, modalities: string[], hasFusion: boolean): Record<string, NamedHeadSpec> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${at} must be a mapping of head name to { name, target, input, config }.`);
  const heads: Record<string, NamedHeadSpec> = {};
  const labelNames = Object.keys(labels);
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const path = `${at}.${name}`;
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) throw new ConfigError(`${path}: a head name must start with a letter and hold letters, digits, _ or - (it names outputs such as logits_${name}).`);
    const spec = validateConfig<Record<string, any>>(headSchema, typeof value === 'string' ? { name: value } : (value as Record<string, unknown>), path);
    if (!registry.has('head', spec.name)) {
      throw new ConfigError(`${path}.name: unknown head '${spec.name}'. Registered heads: ${registry.list('head').join(', ')}. If it comes from a plugin package, list that package under "plugins".`);
    }
    if (spec.target === undefined && labelNames.length > 1) throw new ConfigError(`${path}.target is required when there are several labels (${labelNames.join(', ')}).`);
    const target = spec.target ?? labelNames[0];
    const label = labels[target];
    if (!label) throw new ConfigError(`${path}.target must be one of ${labelNames.map((l) => JSON.stringify(l)).join(', ')}, got ${JSON.stringify(target)}.`);
    if (spec.input !== 'fused' && !modalities.includes(spec.input)) {
      throw new ConfigError(`${path}.input must be 'fused' or a modality (${modalities.join(', ')}), got ${JSON.stringify(spec.input)}.`);
    }
    if (spec.input === 'fused' && !hasFusion && label.type !== 'match') {
      throw new ConfigError(`${path}.input: 'fused' needs model.fusion; add one, or set input to a modality (${modalities.join(', ')}).`);
    }
    const entry = registry.get('head', spec.name);
    const needs = produces[label.type];
    const gives = entry.traits?.produces;
    if (needs !== gives) {
      const what = needs === 'tokens' ? 'a decoder head (text-decoder, from @polyfuse/text)' : needs === 'embedding' ? 'a projection head (projection)' : 'a head that gives logits or values (mlp, linear)';
      throw new ConfigError(`${path}.name: target '${target}' is a ${label.type} target, so it needs ${what}; '${spec.name}' ${gives ? `produces ${gives}` : 'gives logits or values'}.`);
    }
    for (const key of dataDecided) {
      if (spec.config[key] !== undefined) throw new ConfigError(`${path}.config.${key}: the fitted target '${target}' decides it; remove it from the config.`);
    }
    const schema = entry.schema ? Object.fromEntries(Object.entries(entry.schema).filter(([key]) => !dataDecided.includes(key))) : undefined;
    const config = schema ? validateConfig(schema, spec.config, `${path}.config`) : spec.config;
    if (label.type === 'match') {
      const projected = (config.modalities as string[] | undefined) ?? modalities;
      const unknown = projected.filter((m) => !modalities.includes(m));
      if (unknown.length > 0 || projected.length < 2) throw new ConfigError(`${path}.config.modalities must list at least two modalities of ${modalities.join(', ')}, got ${JSON.stringify(projected)}.`);
    }
    heads[name] = { name: spec.name, target, input: spec.input, config };
  }
  if (Object.keys(heads).length === 0) throw new ConfigError(`${at} must name at least one head.`);
  return heads;
}
