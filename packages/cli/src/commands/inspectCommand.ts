import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { InputError, createMultimodalModel, formatShape, type MultimodalModel } from '@polyfuse/core';
import { loadConfig, resolvedConfig } from '../config/loadConfig.js';
import { openRun } from '../run/openRun.js';
import { startBackend } from '../program/startBackend.js';
import { exitCodes } from '../program/exitCodes.js';
import type { CommandIo, GlobalOptions } from '../program/commandIo.js';

export interface InspectCommandOptions extends GlobalOptions {
  json?: boolean;
}

/**
 * `polyfuse inspect <config | run>`: for a config file, the resolved config
 * (defaults filled, paths absolute) and the parameters per module of the
 * model it builds; for a run or model folder, the model's modalities, input
 * shapes, outputs, classes and parameters per module.
 */
export async function inspectCommand(target: string, options: InspectCommandOptions, io: CommandIo): Promise<number> {
  const resolved = path.resolve(io.cwd, target);
  const stat = await fs.stat(resolved).catch(() => undefined);
  if (!stat) throw new InputError(`${target} does not exist. Give a config file or a run folder.`);
  if (stat.isFile()) {
    const config = await loadConfig(resolved);
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
    ...Object.entries(summary.classes).map(([name, classes]) => `classes (${name}): ${classes.join(', ')}`),
  ];
  io.stdout.write(`${lines.join('\n')}\n\n${parameterTable(summary.parameters)}`);
  return exitCodes.ok;
}

function describeModel(model: MultimodalModel, labels: Record<string, { classes: string[] }>) {
  return {
    inputs: Object.fromEntries(model.modalities.map((m) => [m, { shape: formatShape([null, ...model.metadata.inputShapes[m]]), dtype: model.metadata.inputDtypes[m] }])),
    outputs: model.outputNames,
    classes: Object.fromEntries(Object.entries(labels).map(([name, l]) => [name, l.classes])),
    parameters: model.parameterCounts(),
  };
}

/** `module  parameters` rows, the total last. */
function parameterTable(counts: Record<string, number>): string {
  const rows = Object.entries(counts).filter(([k]) => k !== 'total');
  const width = Math.max(8, ...rows.map(([k]) => k.length));
  const line = (name: string, value: number): string => `${name.padEnd(width)}  ${value.toLocaleString('en-US').padStart(12)}`;
  return [`${'module'.padEnd(width)}  ${'parameters'.padStart(12)}`, ...rows.map(([k, v]) => line(k, v)), line('total', counts.total)].join('\n') + '\n';
}
