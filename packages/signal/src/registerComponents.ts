import { registry, type ConfigSchema } from '@polyfuse/core';
import { NumericPreprocessor, numericSchema } from './preprocessors/numericPreprocessor.js';
import { CategoricalPreprocessor, categoricalSchema } from './preprocessors/categoricalPreprocessor.js';
import { TimeseriesPreprocessor, timeseriesSchema } from './preprocessors/timeseriesPreprocessor.js';
import { createSignalMlpEncoder, signalMlpSchema } from './encoders/signalMlp.js';
import { createSignalCnn1dEncoder, signalCnn1dSchema } from './encoders/signalCnn1d.js';
import { createSignalGruEncoder, signalGruSchema } from './encoders/signalGru.js';
import { createSignalEmbeddingEncoder, signalEmbeddingSchema } from './encoders/signalEmbedding.js';

interface Entry {
  kind: 'encoder' | 'preprocessor';
  name: string;
  description: string;
  schema: ConfigSchema;
  create(config: Record<string, unknown>): unknown;
}

/** Everything @polyfuse/signal adds to the registry: the pattern a modality plugin follows. */
export const signalComponents: readonly Entry[] = [
  { kind: 'preprocessor', name: 'numeric', description: 'Numeric columns -> standardised [n] (+ missingness indicators).', schema: numericSchema, create: (c) => new NumericPreprocessor(c) },
  { kind: 'preprocessor', name: 'categorical', description: 'Categorical columns -> one-hot or embedding ids.', schema: categoricalSchema, create: (c) => new CategoricalPreprocessor(c) },
  { kind: 'preprocessor', name: 'timeseries', description: 'A (multichannel) series -> normalised [length, channels].', schema: timeseriesSchema, create: (c) => new TimeseriesPreprocessor(c) },
  { kind: 'encoder', name: 'signal-mlp', description: 'MLP over a feature vector -> [units].', schema: signalMlpSchema, create: createSignalMlpEncoder },
  { kind: 'encoder', name: 'signal-cnn1d', description: '1-D CNN over [steps, channels] -> [units].', schema: signalCnn1dSchema, create: createSignalCnn1dEncoder },
  { kind: 'encoder', name: 'signal-gru', description: '(Bi-)GRU over [steps, channels] -> [units] or [steps, units].', schema: signalGruSchema, create: createSignalGruEncoder },
  { kind: 'encoder', name: 'signal-embedding', description: 'Embeddings of categorical ids -> [units].', schema: signalEmbeddingSchema, create: createSignalEmbeddingEncoder },
];

/**
 * Registers the signal preprocessors and encoders. Runs when the package is
 * imported; a second call (or a second copy of the package) is a no-op.
 */
export function registerSignalComponents(): void {
  for (const entry of signalComponents) {
    if (!registry.has(entry.kind, entry.name)) registry.register(entry);
  }
}

registerSignalComponents();
