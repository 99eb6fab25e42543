import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { InputError, createMultimodalModel, formatShape, registry, type MultimodalModel, type MultimodalModelSpec, type NamedHeadInfo, type TargetInfo } from '@polyfuse/core';
import { dataSizedKeys } from '../training/dataSizes.js';
import type { DatasetState } from '@polyfuse/data/node';
import { loadConfig, resolvedConfig } from '../config/loadConfig.js';
import { declaredOutputs, type DeclaredOutput } from '../config/taskOutputs.js';
import { openRun } from '../run/openRun.js';
import { startBackend } from '../program/startBackend.js';
import { exitCodes } from '../program/exitCodes.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';

export interface InspectCommandOptions extends GlobalOptions {
  json?: boolean;
}

/** One named head of a trained model, as `polyfuse inspect` shows it. */
export interface HeadSummary {
  /** Registry name of the head (`mlp`, `text-decoder`, `projection`). */
  name: string;
  target: string;
  targetType: string;
  /** What the fitted target tells the head: classes, regression width, vocabulary size and length. */
  targetInfo: TargetInfo | undefined;
  /** `fused` or a modality. */
  input: string;
  outputs: string[];
  parameters: number;
}

/**
 * `polyfuse inspect <config | run>`: for a config file, the resolved config
 * (defaults filled, paths absolute) and the parameters per module of the
 * model it builds, or, for a config with named heads (sized from targets
 * fitted in training), the outputs it declares; for a run or model folder,
 * the model's modalities, input shapes, outputs, named heads (target, type,
 * input, outputs, parameters), classes and parameters per module.
 */
export async function inspectCommand(target: string, options: InspectCommandOptions, io: CommandIo): Promise<number> {
  const resolved = path.resolve(io.cwd, target);
  const stat = await fs.stat(resolved).catch(() => undefined);
  if (!stat) throw new InputError(`${target} does not exist. Give a config file or a run folder.`);
  if (stat.isFile()) {
    const config = await loadConfig(resolved);
    if (config.model.heads && Object.keys(config.model.heads).length > 0) {
      // Named heads are sized from fitted targets: nothing is built before training.
      const outputs = declaredOutputs(config.model, config.data.labels);
      const summary = { config: resolvedConfig(config), outputs };
      const types = Object.fromEntries(Object.entries(config.data.labels).map(([name, l]) => [name, l.type ?? 'class']));
      io.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${stringify(summary.config)}\n${declaredTable(outputs, types)}`);
      return exitCodes.ok;
    }
    const sizedByData = dataSizedFields(config.model);
    if (sizedByData.length > 0) {
      // A text encoder's vocabulary and length come from the preprocessor fitted in training: nothing to build yet.
      const note = `${sizedByData.join(', ')} ${sizedByData.length === 1 ? 'comes' : 'come'} from the preprocessors fitted on the training data, so the model is built in training; run polyfuse inspect <run> afterwards for its parameters.`;
      io.stdout.write(options.json ? `${JSON.stringify({ config: resolvedConfig(config), parameters: null, note }, null, 2)}\n` : `${stringify(resolvedConfig(config))}\n${note}\n`);
      return exitCodes.ok;
    }
    await startBackend(options, io, config.backend);
    const model = createMultimodalModel(config.model);
    const parameters = model.parameterCounts();
    model.dispose();
    const summary = { config: resolvedConfig(config), parameters };
    io.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${stringify(summary.config)}\n${parameterTable(parameters)}`);
    return exitCodes.ok;
  }
  const run = await openRun(resolved, { beforeModel: (config) => startBackend(options, io, config?.backend) });
  const summary = describeModel(run.model, run.preprocessing.state.labels);
  run.model.dispose();
  if (options.json) {
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return exitCodes.ok;
  }
  const lines = [
    'modalities:',
    ...Object.entries(summary.inputs).map(([m, i]) => `  ${m}: ${i.dtype} ${i.shape}`),
    `outputs: ${summary.outputs.join(', ')}`,
    ...(summary.heads ? ['heads:', ...Object.entries(summary.heads).map(([head, h]) => `  ${headLine(head, h, run.preprocessing.state.labels[h.target])}`)] : []),
    ...Object.entries(summary.classes).map(([name, classes]) => `classes (${name}): ${classes.join(', ')}`),
  ];
  io.stdout.write(`${lines.join('\n')}\n\n${parameterTable(summary.parameters)}`);
  return exitCodes.ok;
}

/** Encoder sizes the config leaves to the fitted data (see withDataSizes), as config paths. */
function dataSizedFields(model: MultimodalModelSpec): string[] {
  return Object.entries(model.encoders).flatMap(([modality, spec]) => {
    const schema = registry.has('encoder', spec.name) ? registry.get('encoder', spec.name).schema : undefined;
    return dataSizedKeys.filter((key) => schema?.[key]?.required && spec.config?.[key] === undefined).map((key) => `model.encoders.${modality}.config.${key}`);
  });
}

function describeModel(model: MultimodalModel, labels: DatasetState['labels']) {
  const heads = Object.entries(model.metadata.heads ?? {});
  const parameters = model.parameterCounts();
  return {
    inputs: Object.fromEntries(model.modalities.map((m) => [m, { shape: formatShape([null, ...model.metadata.inputShapes[m]]), dtype: model.metadata.inputDtypes[m] }])),
    outputs: model.outputNames,
    ...(heads.length > 0 ? { heads: Object.fromEntries(heads.map(([head, info]) => [head, headSummary(model, head, info, parameters)])) } : {}),
    // With named heads, targets without classes (regression, sequence, match) are described with their head.
    classes: Object.fromEntries(Object.entries(labels).filter(([, l]) => heads.length === 0 || l.classes.length > 0).map(([name, l]) => [name, l.classes])),
    parameters,
  };
}

function headSummary(model: MultimodalModel, head: string, info: NamedHeadInfo, parameters: Record<string, number>): HeadSummary {
  const targets = (model.metadata as { targets?: Record<string, TargetInfo> }).targets;
  return { name: info.spec.name, target: info.target, targetType: info.targetType, targetInfo: targets?.[info.target], input: info.input, outputs: info.outputs, parameters: parameters[`head:${head}`] ?? 0 };
}

/** `caption (text-decoder): target caption (sequence, vocabulary 15, max length 9); input fused; outputs tokens_caption, context_caption; 12,345 parameters`. */
function headLine(head: string, h: HeadSummary, saved: DatasetState['labels'][string] | undefined): string {
  const info = h.targetInfo;
  let detail = '';
  if (h.targetType === 'class' || h.targetType === 'multilabel') {
    const classes = info?.classes ?? saved?.classes ?? [];
    detail = `, ${classes.length} classes: ${classes.join(', ')}`;
  } else if (h.targetType === 'regression') {
    const size = info?.size ?? 1;
    const standardized = Array.isArray((saved?.state as { mean?: unknown } | undefined)?.mean);
    detail = `, ${size} value${size === 1 ? '' : 's'}${standardized ? ', standardized' : ''}`;
  } else if (h.targetType === 'sequence' && info) {
    detail = `, vocabulary ${info.vocabSize}, max length ${info.maxLength}`;
  }
  return `${head} (${h.name}): target ${h.target} (${h.targetType}${detail}); input ${h.input}; outputs ${h.outputs.join(', ')}; ${h.parameters.toLocaleString('en-US')} parameters`;
}

/** The outputs a config declares: `name  kind  head → target` rows, and where the parameter counts come from. */
function declaredTable(outputs: DeclaredOutput[], targetTypes: Record<string, string>): string {
  const width = Math.max(6, ...outputs.map((o) => o.name.length));
  const rows = outputs.map((o) => `  ${o.name.padEnd(width)}  ${o.kind.padEnd(9)}  ${o.head ? `head ${o.head}, target ${o.target} (${targetTypes[o.target!] ?? 'class'})` : o.name === 'logits' ? 'main head' : 'auxiliary head'}`);
  return ['outputs:', ...rows, '', "parameters: named heads are sized from the targets fitted in training; run 'polyfuse train', then 'polyfuse inspect <run>'.", ''].join('\n');
}

/** `module  parameters` rows, the total last. */
function parameterTable(counts: Record<string, number>): string {
  const rows = Object.entries(counts).filter(([k]) => k !== 'total');
  const width = Math.max(8, ...rows.map(([k]) => k.length));
  const line = (name: string, value: number): string => `${name.padEnd(width)}  ${value.toLocaleString('en-US').padStart(12)}`;
  return [`${'module'.padEnd(width)}  ${'parameters'.padStart(12)}`, ...rows.map(([k, v]) => line(k, v)), line('total', counts.total)].join('\n') + '\n';
}
