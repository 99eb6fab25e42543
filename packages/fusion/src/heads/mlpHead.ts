import { tf, ConfigError, type Head, type RegistryEntry } from '@polyfuse/core';
import { activationNames } from '../layers/tensorOps.js';

export interface MlpHeadOptions {
  /** Per-sample input shape (from HeadContext). */
  inputShape: number[];
  /** Output size, e.g. the number of classes. */
  units: number;
  /** Hidden layer sizes. Default `[]` (a linear head). */
  hiddenUnits?: number[];
  /** Activation of the hidden layers. Default `relu`. */
  activation?: string;
  /** Dropout rate after each hidden layer (training only). Default 0. */
  dropout?: number;
  /** Activation of the output layer. Default `linear` (logits). */
  outputActivation?: string;
  /** Layer-name prefix, so several heads in one model never clash (auxiliary heads get `aux_<modality>`). */
  namePrefix?: string;
}

/**
 * A multilayer perceptron head: `[dense(h) → activation → dropout]* → dense(units)`,
 * built from tfjs-layers layers. Inputs of rank > 1 per sample are flattened first.
 */
export function createMlpHead(options: MlpHeadOptions): Head {
  const { inputShape, units } = options;
  if (!Array.isArray(inputShape) || inputShape.length === 0) throw new ConfigError(`head inputShape must be a non-empty shape, got ${JSON.stringify(inputShape)}.`);
  if (!Number.isInteger(units) || units < 1) throw new ConfigError(`head units must be a positive integer (e.g. the number of classes), got ${JSON.stringify(units)}.`);
  const hidden = options.hiddenUnits ?? [];
  if (hidden.some((h) => !Number.isInteger(h) || h < 1)) throw new ConfigError(`head hiddenUnits must be positive integers, got ${JSON.stringify(hidden)}.`);
  const dropout = options.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new ConfigError(`head dropout must be in [0, 1), got ${dropout}.`);
  const name = (suffix: string) => (options.namePrefix ? `${options.namePrefix}_${suffix}` : undefined);
  const layers: tf.layers.Layer[] = [];
  if (inputShape.length > 1) layers.push(tf.layers.flatten({ name: name('flatten') }));
  hidden.forEach((h, i) => {
    layers.push(tf.layers.dense({ units: h, activation: (options.activation ?? 'relu') as 'relu', name: name(`dense_${i}`) }));
    if (dropout > 0) layers.push(tf.layers.dropout({ rate: dropout, name: name(`dropout_${i}`) }));
  });
  layers.push(tf.layers.dense({ units, activation: (options.outputActivation ?? 'linear') as 'linear', name: name('output') }));
  const config = { hiddenUnits: hidden, activation: options.activation ?? 'relu', dropout, units, outputActivation: options.outputActivation ?? 'linear' };
  return {
    outputShape: [units],
    config,
    apply: ((x: tf.Tensor | tf.SymbolicTensor) => layers.reduce((h, layer) => layer.apply(h as tf.Tensor) as tf.Tensor | tf.SymbolicTensor, x)) as Head['apply'],
  };
}

export const mlpHeadEntry: RegistryEntry<Record<string, unknown>, Head> = {
  kind: 'head',
  name: 'mlp',
  description: 'Multilayer perceptron head (dense layers, dropout, output layer).',
  schema: {
    units: { type: 'integer', min: 1, required: true, description: 'Output size (number of classes).' },
    hiddenUnits: { type: 'number[]', default: [], description: 'Hidden layer sizes.' },
    activation: { type: 'string', enum: activationNames, default: 'relu', description: 'Hidden activation.' },
    dropout: { type: 'number', min: 0, max: 0.99, default: 0, description: 'Dropout after each hidden layer.' },
    outputActivation: { type: 'string', enum: ['linear', 'softmax', 'sigmoid', 'tanh', 'relu'], default: 'linear', description: 'Output activation; linear gives logits.' },
  },
  create: (config) => createMlpHead(config as unknown as MlpHeadOptions),
};

export const linearHeadEntry: RegistryEntry<Record<string, unknown>, Head> = {
  kind: 'head',
  name: 'linear',
  description: 'One dense layer (logits by default).',
  schema: {
    units: { type: 'integer', min: 1, required: true, description: 'Output size (number of classes).' },
    outputActivation: { type: 'string', enum: ['linear', 'softmax', 'sigmoid', 'tanh', 'relu'], default: 'linear', description: 'Output activation.' },
  },
  create: (config) => createMlpHead({ ...(config as unknown as MlpHeadOptions), hiddenUnits: [] }),
};
