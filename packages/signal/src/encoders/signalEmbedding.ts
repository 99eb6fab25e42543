import { componentConfig, layerNamer, tf, validateConfig, type ConfigSchema, type Encoder } from '@polyfuse/core';

export const signalEmbeddingSchema: ConfigSchema = {
  columns: { type: 'integer', required: true, min: 1, description: 'Categorical columns (preprocessor/categorical with encoding "index").' },
  vocabSize: { type: 'integer', required: true, min: 2, description: 'Total ids: columns * (maxCategories + 1).', deprecated: { names: ['vocabularySize'] } },
  embeddingDim: { type: 'integer', default: 8, min: 1, description: 'Embedding width per column.', deprecated: { names: ['embeddingSize'] } },
  units: { type: 'integer', default: 32, min: 0, description: 'Dense ReLU layer over the concatenated embeddings; 0 = none.' },
};

/**
 * `encoder/signal-embedding`: categorical ids `[columns]` (int32, offset per
 * column as preprocessor/categorical writes them) → one shared embedding
 * table → concatenated `[columns * embeddingDim]` → dense ReLU `[units]`.
 * The learned alternative to one-hot for high-cardinality columns.
 */
export function createSignalEmbeddingEncoder(config: Record<string, unknown>): Encoder {
  const { modality, ...options } = config;
  const o = validateConfig<{ columns: number; vocabSize: number; embeddingDim: number; units: number }>(signalEmbeddingSchema, options, 'encoder/signal-embedding');
  const name = layerNamer(modality, 'embedding');
  const layers: tf.layers.Layer[] = [
    tf.layers.embedding({ inputDim: o.vocabSize, outputDim: o.embeddingDim, ...name('table') }),
    tf.layers.flatten({ ...name('flatten') }),
  ];
  if (o.units > 0) layers.push(tf.layers.dense({ units: o.units, activation: 'relu', ...name('dense') }));
  return {
    inputShape: [o.columns],
    inputDtype: 'int32',
    outputShape: [o.units > 0 ? o.units : o.columns * o.embeddingDim],
    config: componentConfig('signal-embedding', o),
    apply: ((input: tf.Tensor) => layers.reduce((x, layer) => layer.apply(x) as tf.Tensor, input)) as Encoder['apply'],
  };
}
