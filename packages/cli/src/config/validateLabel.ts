import { ConfigError, registry, validateConfig, type ConfigSchema } from '@polyfuse/core';
import type { LabelConfig } from './runConfig.js';

const labelSchema: ConfigSchema = {
  field: { type: 'string', description: 'Manifest field; default: the label name.' },
  type: { type: 'string', default: 'class', enum: ['class', 'multilabel', 'regression', 'number', 'sequence', 'match'] },
  classes: { type: 'any', description: 'class / multilabel: class names in index order.' },
  size: { type: 'integer', min: 1, description: 'regression: values per sample.' },
  standardize: { type: 'boolean', description: 'regression: train on standardised values.' },
  tokenizer: { type: 'any', description: 'sequence: a preprocessor/text spec, e.g. { name: text, config: { maxLength: 16 } }.' },
  group: { type: 'string', description: 'match: field whose equal values are positives of each other.' },
};

/** Which options belong to which target type, for errors that say what is allowed. */
const optionsOf: Record<LabelConfig['type'], string[]> = {
  class: ['classes'],
  multilabel: ['classes'],
  regression: ['size', 'standardize'],
  sequence: ['tokenizer'],
  match: ['group'],
};

/**
 * Validates one `data.labels.<name>` entry (docs/tasks.md): its type, and
 * only the options of that type (`tokenizer` for a sequence, `group` for a
 * match target, ...); a sequence's tokenizer must be a registered preprocessor.
 */
export function validateLabel(name: string, raw: unknown, at: string): LabelConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${at} must be a mapping, e.g. { field: ${name}, type: class }.`);
  const spec = validateConfig<Record<string, any>>(labelSchema, raw as Record<string, unknown>, at);
  const type = (spec.type === 'number' ? 'regression' : spec.type) as LabelConfig['type'];
  for (const key of ['classes', 'size', 'standardize', 'tokenizer', 'group']) {
    if (spec[key] !== undefined && !optionsOf[type].includes(key)) {
      const owners = Object.entries(optionsOf).filter(([, keys]) => keys.includes(key)).map(([t]) => t);
      throw new ConfigError(`${at}.${key} applies to ${owners.join(' / ')} targets; this one is ${type}.`);
    }
  }
  if (spec.classes !== undefined) {
    const classes = spec.classes as unknown;
    if (!Array.isArray(classes) || classes.length < 2 || classes.some((c) => typeof c !== 'string' && typeof c !== 'number')) {
      throw new ConfigError(`${at}.classes must be a list of at least 2 class names (strings or numbers), got ${JSON.stringify(classes)}.`);
    }
    if (new Set(classes.map(String)).size !== classes.length) throw new ConfigError(`${at}.classes has duplicates: ${JSON.stringify(classes)}.`);
  }
  let tokenizer: LabelConfig['tokenizer'];
  if (type === 'sequence') {
    const raw = typeof spec.tokenizer === 'string' ? { name: spec.tokenizer } : spec.tokenizer;
    if (!raw || typeof raw !== 'object' || typeof raw.name !== 'string') {
      throw new ConfigError(`${at}.tokenizer is required for a sequence target: a text preprocessor, e.g. { name: text, config: { tokenizer: word, maxLength: 16 } }.`);
    }
    if (!registry.has('preprocessor', raw.name)) {
      throw new ConfigError(`${at}.tokenizer.name: unknown preprocessor '${raw.name}' (registered: ${registry.list('preprocessor').join(', ')}). The text preprocessor comes from @polyfuse/text.`);
    }
    const entry = registry.get('preprocessor', raw.name);
    const config = entry.schema ? validateConfig(entry.schema, { ...(raw.config ?? {}) }, `${at}.tokenizer.config`) : (raw.config ?? {});
    const maxLength = (config as { maxLength?: unknown }).maxLength;
    if (typeof maxLength === 'number' && maxLength < 3) {
      throw new ConfigError(`${at}.tokenizer.config.maxLength must be at least 3 for a sequence target (bos, one token, eos), got ${maxLength}.`);
    }
    tokenizer = { name: raw.name, config };
  }
  return {
    field: spec.field ?? name,
    type,
    ...(spec.classes !== undefined ? { classes: spec.classes } : {}),
    ...(spec.size !== undefined ? { size: spec.size } : {}),
    ...(spec.standardize !== undefined ? { standardize: spec.standardize } : {}),
    ...(tokenizer ? { tokenizer } : {}),
    ...(spec.group !== undefined ? { group: spec.group } : {}),
  };
}
