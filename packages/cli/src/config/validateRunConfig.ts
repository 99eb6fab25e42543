import path from 'node:path';
import { ConfigError, registry, validateConfig, type ComponentSpec, type ConfigSchema, type MultimodalModelSpec, type Registry } from '@polyfuse/core';
import type { DataConfig, EvaluationConfig, LabelConfig, LossConfig, ModalityConfig, RunConfig, SplitConfig, TrainingConfig } from './runConfig.js';

const topLevel: ConfigSchema = {
  name: { type: 'string', description: 'Run name, shown in logs and the report.' },
  plugins: { type: 'string[]', default: [], description: 'Packages (or paths relative to the config) imported before building.' },
  backend: { type: 'string', default: 'auto', enum: ['auto', 'node', 'wasm', 'cpu', 'webgl'] },
  data: { type: 'object', required: true },
  model: { type: 'object', required: true },
  loss: { type: 'object' },
  metrics: { type: 'any', default: ['accuracy'] },
  optimizer: { type: 'any', default: { name: 'adam' } },
  schedule: { type: 'any', description: 'Learning-rate schedule; none keeps the optimizer\'s rate.' },
  training: { type: 'object', default: {} },
  evaluation: { type: 'object', default: {} },
};

const dataSchema: ConfigSchema = {
  manifest: { type: 'string', required: true, description: 'JSONL or CSV manifest, relative to the config file.' },
  format: { type: 'string', enum: ['jsonl', 'csv'] },
  modalities: { type: 'object', required: true },
  labels: { type: 'object', required: true },
  idField: { type: 'string' },
  split: { type: 'object', default: {} },
  onBadSample: { type: 'string', default: 'skip', enum: ['skip', 'error'] },
  cacheDir: { type: 'string', description: 'On-disk cache of preprocessed features, relative to the config file.' },
  cacheInMemory: { type: 'boolean', default: false, description: 'Keep preprocessed samples in memory after the first epoch.' },
  concurrency: { type: 'integer', default: 8, min: 1, description: 'Samples preprocessed concurrently.' },
  prefetch: { type: 'integer', default: 2, min: 0, description: 'Batches prepared ahead of training.' },
};

const modalitySchema: ConfigSchema = {
  field: { type: 'string' },
  type: { type: 'string', default: 'file', enum: ['file', 'text', 'number', 'numbers'] },
  preprocessor: { type: 'any', required: true },
  required: { type: 'boolean', default: false },
};

const labelSchema: ConfigSchema = {
  field: { type: 'string' },
  type: { type: 'string', default: 'class', enum: ['class'] },
  classes: { type: 'any' },
};

const splitSchema: ConfigSchema = {
  field: { type: 'string' },
  names: { type: 'object', default: {} },
  fractions: { type: 'object', default: {} },
  stratify: { type: 'string' },
  seed: { type: 'integer' },
};

const splitNamesSchema: ConfigSchema = {
  train: { type: 'string[]', default: ['train'] },
  validation: { type: 'string[]', default: ['val', 'validation', 'valid'] },
  test: { type: 'string[]', default: ['test'] },
};

const fractionsSchema: ConfigSchema = {
  validation: { type: 'number', default: 0.1, min: 0, max: 0.9 },
  test: { type: 'number', default: 0.1, min: 0, max: 0.9 },
};

const modelSchema: ConfigSchema = {
  encoders: { type: 'object', required: true },
  fusion: { type: 'any', required: true },
  head: { type: 'any', required: true },
  auxiliaryHeads: { type: 'any' },
  seed: { type: 'integer' },
};

const lossSchema: ConfigSchema = {
  terms: { type: 'object', required: true },
  weighting: { type: 'any', default: { name: 'static' } },
};

const termSchema: ConfigSchema = {
  loss: { type: 'string', default: 'cross-entropy' },
  output: { type: 'string', default: 'logits' },
  target: { type: 'string' },
  config: { type: 'object', default: {} },
};

const trainingSchema: ConfigSchema = {
  epochs: { type: 'integer', default: 10, min: 1 },
  batchSize: { type: 'integer', default: 32, min: 1 },
  seed: { type: 'integer', default: 0 },
  modalityDropout: { type: 'number', default: 0, min: 0, max: 1 },
  checkpointDir: { type: 'string', default: 'checkpoints' },
  earlyStoppingPatience: { type: 'integer', default: 0, min: 0 },
  monitor: { type: 'string' },
  clipGradientNorm: { type: 'number', default: 0, min: 0, description: 'Clip the global gradient norm to this (torch clip_grad_norm_); 0 = off.' },
  replicas: { type: 'integer', default: 1, min: 1, description: 'Threads that train data-parallel replicas of the model (one per core; see docs/config.md).' },
};

const evaluationSchema: ConfigSchema = {
  robustness: { type: 'number[]', default: [0, 0.25, 0.5, 0.75, 1] },
  contribution: { type: 'boolean', default: true },
};

/**
 * Validates a parsed config file top to bottom and fills defaults. Every error
 * is a ConfigError whose message starts with the bad field's path
 * (`model.fusion.config.hiddenUnits`) and says what is allowed: option names,
 * enum values, or the registered component names. Plugins must be imported
 * before this runs, so their components are known.
 */
export function validateRunConfig(raw: unknown, baseDir: string): RunConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`The config must be a mapping (YAML) or object (JSON) at the top level, got ${describeValue(raw)}.`);
  }
  const top = validateConfig<Record<string, any>>(topLevel, raw as Record<string, unknown>, 'config');
  const data = validateData(top.data, 'data');
  const model = validateModel(top.model, 'model', Object.keys(data.modalities));
  const loss = validateLoss(top.loss, 'loss', model, data);
  const label = Object.values(loss.terms).find((t) => t.output === 'logits')?.target ?? Object.keys(data.labels)[0];
  const metrics = validateMetrics(top.metrics, 'metrics', label);
  const optimizer = component(registry, 'optimizer', top.optimizer, 'optimizer');
  const training = validateConfig<TrainingConfig & Record<string, unknown>>(trainingSchema, top.training, 'training');
  const schedule = top.schedule === undefined || top.schedule === null ? undefined : component(registry, 'schedule', top.schedule, 'schedule');
  const metricNames = metrics.map(loggedMetricName);
  if (training.monitor !== undefined && !metricNames.includes(training.monitor)) {
    throw new ConfigError(`training.monitor must name one of the metrics (${metricNames.join(', ')}), got ${JSON.stringify(training.monitor)}.`);
  }
  const evaluation = validateConfig<EvaluationConfig & Record<string, unknown>>(evaluationSchema, top.evaluation, 'evaluation');
  evaluation.robustness.forEach((rate, i) => {
    if (rate < 0 || rate > 1) throw new ConfigError(`evaluation.robustness[${i}] must be a rate in [0, 1], got ${rate}.`);
  });
  return {
    name: top.name ?? path.basename(baseDir),
    plugins: top.plugins,
    backend: top.backend,
    data,
    model: { ...model, seed: model.seed ?? training.seed },
    loss,
    metrics,
    optimizer,
    ...(schedule ? { schedule } : {}),
    training,
    evaluation,
    baseDir,
  };
}

function validateData(raw: Record<string, unknown>, at: string): DataConfig {
  const section = validateConfig<Record<string, any>>(dataSchema, raw, at);
  const modalities: Record<string, ModalityConfig> = {};
  const modalityEntries = Object.entries(section.modalities as Record<string, unknown>);
  if (modalityEntries.length === 0) throw new ConfigError(`${at}.modalities must name at least one modality.`);
  for (const [name, value] of modalityEntries) {
    const fieldPath = `${at}.modalities.${name}`;
    const spec = validateConfig<Record<string, any>>(modalitySchema, asObject(value, fieldPath), fieldPath);
    const preprocessor = component(registry, 'preprocessor', spec.preprocessor, `${fieldPath}.preprocessor`);
    modalities[name] = { field: spec.field ?? name, type: spec.type, preprocessor, required: spec.required };
  }
  const labels: Record<string, LabelConfig> = {};
  for (const [name, value] of Object.entries(section.labels as Record<string, unknown>)) {
    const fieldPath = `${at}.labels.${name}`;
    const spec = validateConfig<Record<string, any>>(labelSchema, asObject(value ?? {}, fieldPath), fieldPath);
    if (spec.classes !== undefined) {
      const classes = spec.classes as unknown;
      if (!Array.isArray(classes) || classes.length < 2 || classes.some((c) => typeof c !== 'string' && typeof c !== 'number')) {
        throw new ConfigError(`${fieldPath}.classes must be a list of at least 2 class names (strings or numbers), got ${JSON.stringify(classes)}.`);
      }
      if (new Set(classes.map(String)).size !== classes.length) throw new ConfigError(`${fieldPath}.classes has duplicates: ${JSON.stringify(classes)}.`);
    }
    labels[name] = { field: spec.field ?? name, type: 'class', ...(spec.classes ? { classes: spec.classes } : {}) };
  }
  if (Object.keys(labels).length === 0) throw new ConfigError(`${at}.labels must name at least one label, e.g. { label: { field: digit } }.`);
  const split = validateConfig<Record<string, any>>(splitSchema, section.split, `${at}.split`);
  const names = validateConfig<SplitConfig['names'] & Record<string, unknown>>(splitNamesSchema, split.names, `${at}.split.names`);
  const fractions = validateConfig<SplitConfig['fractions'] & Record<string, unknown>>(fractionsSchema, split.fractions, `${at}.split.fractions`);
  if (split.field === undefined && fractions.validation + fractions.test >= 1) {
    throw new ConfigError(`${at}.split.fractions: validation + test must be below 1 so some samples train, got ${fractions.validation} + ${fractions.test}.`);
  }
  if (split.stratify !== undefined && !labels[split.stratify]) {
    throw new ConfigError(`${at}.split.stratify must be one of the labels (${Object.keys(labels).join(', ')}), got ${JSON.stringify(split.stratify)}.`);
  }
  return {
    manifest: section.manifest,
    ...(section.format ? { format: section.format } : {}),
    modalities,
    labels,
    ...(section.idField ? { idField: section.idField } : {}),
    split: {
      ...(split.field !== undefined ? { field: split.field } : {}),
      names,
      fractions,
      ...(split.stratify !== undefined ? { stratify: split.stratify } : {}),
      ...(split.seed !== undefined ? { seed: split.seed } : {}),
    },
    onBadSample: section.onBadSample,
    ...(section.cacheDir !== undefined ? { cacheDir: section.cacheDir } : {}),
    cacheInMemory: section.cacheInMemory,
    concurrency: section.concurrency,
    prefetch: section.prefetch,
  };
}

function validateModel(raw: Record<string, unknown>, at: string, dataModalities: string[]): MultimodalModelSpec {
  const section = validateConfig<Record<string, any>>(modelSchema, raw, at);
  const encoders: Record<string, ComponentSpec> = {};
  for (const [modality, value] of Object.entries(section.encoders as Record<string, unknown>)) {
    if (!dataModalities.includes(modality)) {
      throw new ConfigError(`${at}.encoders.${modality}: no such modality in data.modalities (${dataModalities.join(', ')}).`);
    }
    encoders[modality] = component(registry, 'encoder', value, `${at}.encoders.${modality}`);
  }
  for (const modality of dataModalities) {
    if (!encoders[modality]) throw new ConfigError(`${at}.encoders.${modality} is required: data.modalities lists '${modality}'.`);
  }
  return {
    encoders,
    fusion: component(registry, 'fusion', section.fusion, `${at}.fusion`),
    head: component(registry, 'head', section.head, `${at}.head`),
    ...(section.auxiliaryHeads !== undefined ? { auxiliaryHeads: component(registry, 'head', section.auxiliaryHeads, `${at}.auxiliaryHeads`) } : {}),
    ...(section.seed !== undefined ? { seed: section.seed } : {}),
  };
}

function validateLoss(raw: Record<string, unknown> | undefined, at: string, model: MultimodalModelSpec, data: DataConfig): LossConfig {
  const labelNames = Object.keys(data.labels);
  const section = validateConfig<Record<string, any>>(lossSchema, raw ?? { terms: { main: {} } }, at);
  const outputs = ['logits', ...(model.auxiliaryHeads ? Object.keys(model.encoders).map((m) => `logits_${m}`) : [])];
  const terms: LossConfig['terms'] = {};
  const termEntries = Object.entries(section.terms as Record<string, unknown>);
  if (termEntries.length === 0) throw new ConfigError(`${at}.terms must name at least one loss term.`);
  for (const [name, value] of termEntries) {
    const fieldPath = `${at}.terms.${name}`;
    const spec = validateConfig<Record<string, any>>(termSchema, asObject(value ?? {}, fieldPath), fieldPath);
    const entry = lookup(registry, 'loss', spec.loss, `${fieldPath}.loss`);
    const config = entry.schema ? validateConfig(entry.schema, spec.config, `${fieldPath}.config`) : spec.config;
    if (!outputs.includes(spec.output)) {
      throw new ConfigError(`${fieldPath}.output must be one of ${outputs.map((o) => JSON.stringify(o)).join(', ')}, got ${JSON.stringify(spec.output)}` +
        (model.auxiliaryHeads ? '.' : ' (logits_<modality> outputs exist when model.auxiliaryHeads is set).'));
    }
    if (spec.target === undefined && labelNames.length > 1) {
      throw new ConfigError(`${fieldPath}.target is required when there are several labels (${labelNames.join(', ')}).`);
    }
    const target = spec.target ?? labelNames[0];
    if (!labelNames.includes(target)) {
      throw new ConfigError(`${fieldPath}.target must be one of ${labelNames.map((l) => JSON.stringify(l)).join(', ')}, got ${JSON.stringify(target)}.`);
    }
    terms[name] = { loss: spec.loss, output: spec.output, target, config };
  }
  const weighting = component(registry, 'weighting', section.weighting, `${at}.weighting`);
  const weights = (weighting.config as { weights?: Record<string, unknown> }).weights;
  for (const term of Object.keys(weights ?? {})) {
    if (!terms[term]) throw new ConfigError(`${at}.weighting.config.weights.${term}: no loss term '${term}'. Loss terms: ${Object.keys(terms).join(', ')}.`);
  }
  return { terms, weighting };
}

/**
 * Metrics score the main output against the main label unless their config
 * says otherwise (`output: logits_image` scores a unimodal head).
 */
function validateMetrics(raw: unknown, at: string, label: string): ComponentSpec[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new ConfigError(`${at} must be a non-empty list of metric names (${registry.list('metric').join(', ')}), got ${describeValue(raw)}.`);
  }
  return raw.map((value, i) => {
    const spec = typeof value === 'string' ? { name: value } : value;
    const name = (spec as { name?: unknown })?.name;
    const schema = typeof name === 'string' && registry.has('metric', name) ? registry.get('metric', name).schema : undefined;
    const config = (spec as { config?: Record<string, unknown> })?.config ?? {};
    const withTarget = schema?.target && config.target === undefined ? { ...spec, config: { ...config, target: label } } : spec;
    return component(registry, 'metric', withTarget, `${at}[${i}]`);
  });
}

/** The key a metric logs under: its name, with a non-macro `average` appended (`f1_micro`), as @polyfuse/trainer names it. */
export function loggedMetricName(spec: ComponentSpec): string {
  const average = spec.config?.average;
  return typeof average === 'string' && average !== 'macro' ? `${spec.name}_${average}` : spec.name;
}

/**
 * A component reference: `name` or `{ name, config }`. Checks the name is
 * registered and validates (and fills defaults of) its config.
 */
function component(from: Registry, kind: string, raw: unknown, at: string): ComponentSpec {
  const spec = typeof raw === 'string' ? { name: raw } : asObject(raw, at);
  for (const key of Object.keys(spec)) {
    if (key !== 'name' && key !== 'config') {
      throw new ConfigError(`${at}.${key} is not a known option. A component is { name, config }; put its options under ${at}.config.`);
    }
  }
  if (typeof spec.name !== 'string') {
    throw new ConfigError(`${at}.name is required: one of the registered ${kind} names (${from.list(kind).join(', ') || 'none'}).`);
  }
  const entry = lookup(from, kind, spec.name, `${at}.name`);
  const config = entry.schema ? validateConfig(entry.schema, asObject(spec.config ?? {}, `${at}.config`), `${at}.config`) : asObject(spec.config ?? {}, `${at}.config`);
  return { name: spec.name, config };
}

function lookup(from: Registry, kind: string, name: string, at: string) {
  if (!from.has(kind, name)) {
    const names = from.list(kind);
    throw new ConfigError(
      `${at}: unknown ${kind} '${name}'. Registered ${kind} names: ${names.join(', ') || '(none)'}. ` +
        `If it comes from a plugin package, list that package under "plugins".`,
    );
  }
  return from.get(kind, name);
}

function asObject(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${at} must be a mapping, got ${describeValue(value)}.`);
  }
  return value as Record<string, unknown>;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : JSON.stringify(value);
}
