import path from 'node:path';
import { ConfigError, registry, validateConfig, type ComponentSpec, type ConfigSchema, type MultimodalModelSpec, type Registry } from '@polyfuse/core';
import type { DataConfig, EvaluationConfig, LabelConfig, LossConfig, ModalityConfig, RunConfig, SplitConfig, TrainingConfig } from './runConfig.js';
import { validateHeads } from './validateHeads.js';
import { checkDistinctOutputs, declaredOutputs, type DeclaredOutput } from './taskOutputs.js';
import { defaultHeadMetrics, defaultLossTerms, headOutputs } from './taskDefaults.js';
import { checkLossTerm } from './lossCompatibility.js';
import { checkMetric } from './metricCompatibility.js';
import { validateLabel } from './validateLabel.js';
import { textDecoder } from '@polyfuse/data';

const topLevel: ConfigSchema = {
  name: { type: 'string', description: 'Run name, shown in logs and the report.' },
  plugins: { type: 'string[]', default: [], description: 'Packages (or paths relative to the config) imported before building.' },
  backend: { type: 'string', default: 'auto', enum: ['auto', 'node', 'wasm', 'cpu', 'webgl'] },
  data: { type: 'object', required: true },
  model: { type: 'object', required: true },
  loss: { type: 'object' },
  metrics: { type: 'any', description: "Default: ['accuracy'] for model.head; each named head's usual metrics for model.heads." },
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
  encoding: { type: 'string', description: "Text encoding of the manifest; default strict UTF-8 (a line that is not valid UTF-8 is a bad sample)." },
  cacheDir: { type: 'string', description: 'On-disk cache of preprocessed features, relative to the config file.' },
  cacheInMemory: { type: 'boolean', default: false, description: 'Keep preprocessed samples in memory after the first epoch.' },
  concurrency: { type: 'integer', default: 8, min: 1, description: 'Samples preprocessed concurrently.' },
  prefetch: { type: 'integer', default: 2, min: 0, description: 'Batches prepared ahead of training.' },
};

const modalitySchema: ConfigSchema = {
  field: { type: 'string' },
  type: { type: 'string', default: 'file', enum: ['file', 'text', 'number', 'numbers', 'record'] },
  columns: { type: 'string[]', description: "For type 'record': the manifest fields (CSV columns) gathered into the record." },
  preprocessor: { type: 'any', required: true },
  required: { type: 'boolean', default: false },
};

const splitSchema: ConfigSchema = {
  field: { type: 'string' },
  names: { type: 'object', default: {} },
  fractions: { type: 'object', default: {} },
  stratify: { type: 'string' },
  seed: { type: 'integer' },
  folds: { type: 'integer', min: 2, description: 'k-fold cross-validation: the samples are dealt into this many folds and split.fold is held out (docs/sweeps.md).' },
  fold: { type: 'integer', min: 0, description: 'With split.folds: the held-out fold, 0 .. folds - 1.' },
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
  fusion: { type: 'any', description: 'Required with model.head or heads that read the fused embedding.' },
  head: { type: 'any', description: 'One classification head on the fused embedding (output logits).' },
  heads: { type: 'object', description: 'Named heads, one per target (docs/tasks.md).' },
  auxiliaryHeads: { type: 'any' },
  seed: { type: 'integer' },
};

const lossSchema: ConfigSchema = {
  terms: { type: 'object', description: 'Default: one term per head, with the usual loss of its target type.' },
  weighting: { type: 'any', default: { name: 'static' } },
};

const termSchema: ConfigSchema = {
  loss: { type: 'string', default: 'cross-entropy' },
  output: { type: 'string' },
  outputs: { type: 'string[]', description: 'Two embedding outputs, for a contrastive loss.' },
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
  monitorMode: { type: 'string', enum: ['max', 'min'], description: "Whether larger is better for monitor; default: the metric's own direction." },
  clipGradientNorm: { type: 'number', default: 0, min: 0, description: 'Clip the global gradient norm to this (torch clip_grad_norm_); 0 = off.' },
  replicas: { type: 'integer', default: 1, min: 1, description: 'Threads that train data-parallel replicas of the model (one per core; see docs/config.md).' },
};

const evaluationSchema: ConfigSchema = {
  robustness: { type: 'number[]', default: [0, 0.25, 0.5, 0.75, 1] },
  contribution: { type: 'boolean', default: true },
  beamWidth: { type: 'integer', default: 1, min: 1, max: 16, description: 'Decoder heads: also score beam-search text with this many beams (1 = greedy only).' },
  examples: { type: 'integer', default: 12, min: 0, max: 200, description: 'Examples per task in evaluation.json and the report.' },
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
  const model = validateModel(top.model, 'model', data);
  const outputs = declaredOutputs(model, data.labels);
  checkDistinctOutputs(outputs);
  const loss = validateLoss(top.loss, 'loss', model, data, outputs);
  const label = Object.values(loss.terms).find((t) => t.output === 'logits')?.target ?? Object.keys(data.labels)[0];
  const metrics = validateMetrics(top.metrics, 'metrics', label, model, data, outputs);
  const optimizer = component(registry, 'optimizer', top.optimizer, 'optimizer');
  const training = validateConfig<TrainingConfig & Record<string, unknown>>(trainingSchema, top.training, 'training');
  const schedule = top.schedule === undefined || top.schedule === null ? undefined : component(registry, 'schedule', top.schedule, 'schedule');
  const metricNames = metrics.map((spec, i) => registry.create<{ name: string }>('metric', spec.name, spec.config, `metrics[${i}].config`).name);
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
    labels[name] = validateLabel(name, value ?? {}, `${at}.labels.${name}`);
  }
  if (Object.keys(labels).length === 0) throw new ConfigError(`${at}.labels must name at least one label, e.g. { label: { field: digit } }.`);
  const split = validateConfig<Record<string, any>>(splitSchema, section.split, `${at}.split`);
  const names = validateConfig<SplitConfig['names'] & Record<string, unknown>>(splitNamesSchema, split.names, `${at}.split.names`);
  const fractions = validateConfig<SplitConfig['fractions'] & Record<string, unknown>>(fractionsSchema, split.fractions, `${at}.split.fractions`);
  if (split.field === undefined && fractions.validation + fractions.test >= 1) {
    throw new ConfigError(`${at}.split.fractions: validation + test must be below 1 so some samples train, got ${fractions.validation} + ${fractions.test}.`);
  }
  if ((split.folds === undefined) !== (split.fold === undefined)) {
    throw new ConfigError(`${at}.split.folds and ${at}.split.fold go together: folds is how many folds, fold (0 .. folds - 1) the held-out one; got ${split.folds === undefined ? 'fold alone' : 'folds alone'}.`);
  }
  if (split.folds !== undefined && split.fold >= split.folds) {
    throw new ConfigError(`${at}.split.fold must be an integer from 0 to ${split.folds - 1} (the held-out fold of ${split.folds}), got ${split.fold}.`);
  }
  if (split.stratify !== undefined && labels[split.stratify]?.type !== 'class') {
    const classLabels = Object.keys(labels).filter((l) => labels[l]!.type === 'class');
    throw new ConfigError(`${at}.split.stratify must be one of the class labels (${classLabels.join(', ') || 'none'}), got ${JSON.stringify(split.stratify)}.`);
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
      ...(split.folds !== undefined ? { folds: split.folds, fold: split.fold } : {}),
    },
    onBadSample: section.onBadSample,
    ...(section.encoding !== undefined ? { encoding: checkedEncoding(section.encoding) } : {}),
    ...(section.cacheDir !== undefined ? { cacheDir: section.cacheDir } : {}),
    cacheInMemory: section.cacheInMemory,
    concurrency: section.concurrency,
    prefetch: section.prefetch,
  };
}

/** `data.encoding` as given, once TextDecoder knows it (a ConfigError naming the field otherwise). */
function checkedEncoding(encoding: string): string {
  textDecoder(encoding, 'data.encoding');
  return encoding;
}

function validateModel(raw: Record<string, unknown>, at: string, data: DataConfig): MultimodalModelSpec {
  const dataModalities = Object.keys(data.modalities);
  const section = validateConfig<Record<string, any>>(modelSchema, raw, at);
  const encoders: Record<string, ComponentSpec> = {};
  for (const [modality, value] of Object.entries(section.encoders as Record<string, unknown>)) {
    if (!dataModalities.includes(modality)) {
      throw new ConfigError(`${at}.encoders.${modality}: no such modality in data.modalities (${dataModalities.join(', ')}).`);
    }
    // A text encoder's vocabSize and maxLength come from its fitted preprocessor when the config leaves them out.
    encoders[modality] = component(registry, 'encoder', value, `${at}.encoders.${modality}`, ['vocabSize', 'maxLength']);
  }
  for (const modality of dataModalities) {
    if (!encoders[modality]) throw new ConfigError(`${at}.encoders.${modality} is required: data.modalities lists '${modality}'.`);
  }
  if (section.head === undefined && section.heads === undefined) {
    throw new ConfigError(`${at} needs a head (one classifier on the fused embedding) or heads (one per target; see docs/tasks.md).`);
  }
  if (section.head !== undefined && section.fusion === undefined) throw new ConfigError(`${at}.fusion is required: ${at}.head reads the fused embedding.`);
  const heads = section.heads !== undefined ? validateHeads(section.heads, `${at}.heads`, data.labels, dataModalities, section.fusion !== undefined) : undefined;
  const predicted = new Set(Object.values(heads ?? {}).map((h) => h.target));
  for (const [name, label] of Object.entries(data.labels)) {
    if ((label.type === 'sequence' || label.type === 'match') && !predicted.has(name)) {
      const needs = label.type === 'sequence' ? "a decoder head, e.g. { name: text-decoder, target: " + name + ", input: <modality> }" : "a projection head, e.g. { name: projection, target: " + name + " }";
      throw new ConfigError(`data.labels.${name} is a ${label.type} target, so ${at}.heads needs ${needs}.`);
    }
  }
  return {
    encoders,
    ...(section.fusion !== undefined ? { fusion: component(registry, 'fusion', section.fusion, `${at}.fusion`) } : {}),
    ...(section.head !== undefined ? { head: component(registry, 'head', section.head, `${at}.head`) } : {}),
    ...(section.auxiliaryHeads !== undefined ? { auxiliaryHeads: component(registry, 'head', section.auxiliaryHeads, `${at}.auxiliaryHeads`) } : {}),
    ...(heads ? { heads } : {}),
    ...(section.seed !== undefined ? { seed: section.seed } : {}),
  };
}

function validateLoss(raw: Record<string, unknown> | undefined, at: string, model: MultimodalModelSpec, data: DataConfig, outputs: DeclaredOutput[]): LossConfig {
  const labelNames = Object.keys(data.labels);
  const defaults = model.head ? { main: {} } : defaultLossTerms(model.heads ?? {}, data.labels, outputs);
  const section = validateConfig<Record<string, any>>(lossSchema, raw ?? {}, at);
  section.terms ??= defaults;
  const terms: LossConfig['terms'] = {};
  const termEntries = Object.entries(section.terms as Record<string, unknown>);
  if (termEntries.length === 0) throw new ConfigError(`${at}.terms must name at least one loss term.`);
  const defaultOutput = model.head ? 'logits' : outputs.length === 1 ? outputs[0]!.name : undefined;
  for (const [name, value] of termEntries) {
    const fieldPath = `${at}.terms.${name}`;
    const spec = validateConfig<Record<string, any>>(termSchema, asObject(value ?? {}, fieldPath), fieldPath);
    const entry = lookup(registry, 'loss', spec.loss, `${fieldPath}.loss`);
    const config = entry.schema ? validateConfig(entry.schema, spec.config, `${fieldPath}.config`) : spec.config;
    const output = spec.output ?? spec.outputs?.[0] ?? defaultOutput;
    if (output === undefined) {
      throw new ConfigError(`${fieldPath}.output is required: the model has several outputs (${outputs.map((o) => o.name).join(', ')}).`);
    }
    const declared = outputs.find((o) => o.name === output);
    if (spec.target === undefined && labelNames.length > 1 && !declared?.target) {
      throw new ConfigError(`${fieldPath}.target is required when there are several labels (${labelNames.join(', ')}).`);
    }
    const target = spec.target ?? declared?.target ?? labelNames[0];
    if (!labelNames.includes(target)) {
      throw new ConfigError(`${fieldPath}.target must be one of ${labelNames.map((l) => JSON.stringify(l)).join(', ')}, got ${JSON.stringify(target)}.`);
    }
    const term = { loss: spec.loss, output, ...(spec.outputs ? { outputs: spec.outputs } : {}), target, config };
    if (!model.auxiliaryHeads && /^logits_/.test(output) && Object.keys(model.encoders).includes(output.slice(7)) && !outputs.some((o) => o.name === output)) {
      throw new ConfigError(
        `${fieldPath}.output must be one of ${outputs.map((o) => JSON.stringify(o.name)).join(', ')}, got ${JSON.stringify(output)} (logits_<modality> outputs exist when model.auxiliaryHeads is set).`,
      );
    }
    checkLossTerm(fieldPath, term, outputs, data.labels);
    terms[name] = term;
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
 * says otherwise (`output: logits_image` scores a unimodal head). With named
 * heads and no main head, a metric without `output` scores the only head, and
 * no `metrics` at all gives each head its target type's usual metrics.
 */
function validateMetrics(raw: unknown, at: string, label: string, model: MultimodalModelSpec, data: DataConfig, outputs: DeclaredOutput[]): ComponentSpec[] {
  if (raw === undefined || raw === null) raw = model.head ? ['accuracy'] : defaultHeadMetrics(model.heads ?? {}, data.labels, outputs);
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new ConfigError(`${at} must be a non-empty list of metric names (${registry.list('metric').join(', ')}), got ${describeValue(raw)}.`);
  }
  const heads = Object.keys(model.heads ?? {});
  const onlyHead = !model.head && heads.length === 1 ? { ...headOutputs(heads[0]!, outputs), target: model.heads![heads[0]!]!.target } : undefined;
  return raw.map((value, i) => {
    const spec = typeof value === 'string' ? { name: value } : value;
    const name = (spec as { name?: unknown })?.name;
    const schema = typeof name === 'string' && registry.has('metric', name) ? registry.get('metric', name).schema : undefined;
    const config = { ...((spec as { config?: Record<string, unknown> })?.config ?? {}) };
    if (schema && onlyHead) {
      if (schema.outputs && config.outputs === undefined && onlyHead.outputs) config.outputs = onlyHead.outputs;
      if (schema.output && config.output === undefined && onlyHead.output) config.output = onlyHead.output;
      if (schema.target && config.target === undefined) config.target = onlyHead.target;
    }
    if (schema && !model.head && !onlyHead && ((schema.output && config.output === undefined && !schema.outputs) || (schema.outputs && config.outputs === undefined))) {
      const key = schema.outputs ? 'outputs' : 'output';
      throw new ConfigError(`${at}[${i}].config.${key} is required: the model has several heads (outputs: ${outputs.map((o) => o.name).join(', ')}).`);
    }
    if (schema?.target && config.target === undefined) {
      const declared = outputs.find((o) => o.name === (config.output ?? (config.outputs as string[] | undefined)?.[0]));
      config.target = declared?.target ?? label;
    }
    const path = `${at}[${i}]`;
    for (const key of ['output', 'outputs'] as const) {
      const read = config[key] === undefined ? [] : key === 'output' ? [config[key] as string] : (config[key] as string[]);
      for (const o of read) {
        if (!outputs.some((d) => d.name === o)) throw new ConfigError(`${path}.config.${key}: ${JSON.stringify(o)} is not a model output (${outputs.map((d) => d.name).join(', ')}).`);
      }
    }
    if (schema?.target && !data.labels[config.target as string]) {
      throw new ConfigError(`${path}.config.target must be one of ${Object.keys(data.labels).join(', ')}, got ${JSON.stringify(config.target)}.`);
    }
    if (typeof name === 'string') checkMetric(path, name, config, outputs, data.labels);
    return component(registry, 'metric', { ...(spec as object), config }, path);
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
function component(from: Registry, kind: string, raw: unknown, at: string, optional: string[] = []): ComponentSpec {
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
  const schema = entry.schema && optional.length > 0
    ? Object.fromEntries(Object.entries(entry.schema).map(([key, field]) => [key, optional.includes(key) ? { ...field, required: false } : field]))
    : entry.schema;
  const config = schema ? validateConfig(schema, asObject(spec.config ?? {}, `${at}.config`), `${at}.config`) : asObject(spec.config ?? {}, `${at}.config`);
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
