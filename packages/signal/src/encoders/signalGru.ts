import { ConfigError, componentConfig, fusedBidirectionalGru, fusedGru, layerNamer, tf, validateConfig, type ConfigSchema, type Encoder, type FusedBidirectionalGru } from '@polyfuse/core';

export const signalGruSchema: ConfigSchema = {
  inputShape: { type: 'number[]', required: true, description: '[steps, channels] (preprocessor/timeseries output).' },
  units: { type: 'integer', default: 64, min: 1, description: 'GRU state size (doubled when bidirectional).' },
  depth: { type: 'integer', default: 1, min: 1, description: 'Stacked GRU layers.', deprecated: { names: ['layers'] } },
  bidirectional: { type: 'boolean', default: false, description: 'Run each layer both ways and concatenate.' },
  dropout: { type: 'number', default: 0, min: 0, max: 0.99, description: 'Dropout on the input of each GRU layer (a dropout layer before it, shared by both directions).' },
  pooling: {
    type: 'string',
    default: 'last',
    enum: ['last', 'mean', 'sequence'],
    description: 'last: final state [D]; mean: mean over steps [D]; sequence: every state [steps, D].',
    deprecated: { values: { none: 'sequence' } },
  },
};

/**
 * `encoder/signal-gru`: stacked (bi-)GRU layers over `[steps, channels]` →
 * the final state `[D]`, the mean state `[D]`, or every state `[steps, D]`.
 * Each GRU is @polyfuse/core's `FusedGru` (PyTorch `torch.nn.GRU` semantics
 * and weight layout, one op per layer instead of ~10 kernels per step);
 * bidirectional layers are `fusedBidirectionalGru` (tf.layers.bidirectional's
 * concat semantics: the backward sequence in time order).
 *
 * No `paddingMask`: inputs are fixed-length (preprocessor/timeseries crops or
 * zero-pads to `length` without marking the padded steps), so every step of
 * the sequence output counts as real, and the GRUs ignore any mask
 * (`ignoreMask`: tfjs' `predict` would otherwise hand them the mask of a text
 * input that ran before them).
 */
export function createSignalGruEncoder(config: Record<string, unknown>): Encoder {
  const { modality, ...options } = config;
  const o = validateConfig<{ inputShape: number[]; units: number; depth: number; bidirectional: boolean; dropout: number; pooling: 'last' | 'mean' | 'sequence' }>(
    signalGruSchema,
    options,
    'encoder/signal-gru',
  );
  if (o.inputShape.length !== 2 || o.inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ConfigError(`encoder/signal-gru.inputShape must be [steps, channels] of positive integers, got ${JSON.stringify(o.inputShape)}.`);
  }
  const name = layerNamer(modality, 'gru');
  const layers: (tf.layers.Layer | FusedBidirectionalGru)[] = [];
  for (let i = 0; i < o.depth; i++) {
    const returnSequences = i < o.depth - 1 || o.pooling !== 'last';
    if (o.dropout > 0) layers.push(tf.layers.dropout({ rate: o.dropout, ...name(`dropout${i + 1}`) }));
    layers.push(
      o.bidirectional
        ? fusedBidirectionalGru({ units: o.units, returnSequences, ignoreMask: true, ...name(`bigru${i + 1}`) })
        : fusedGru({ units: o.units, returnSequences, ignoreMask: true, ...name(`gru${i + 1}`) }),
    );
  }
  if (o.pooling === 'mean') layers.push(tf.layers.globalAveragePooling1d({ ...name('mean') }));
  const width = o.units * (o.bidirectional ? 2 : 1);
  return {
    inputShape: o.inputShape,
    inputDtype: 'float32',
    outputShape: o.pooling === 'sequence' ? [o.inputShape[0]!, width] : [width],
    config: componentConfig('signal-gru', o),
    apply: ((input: tf.Tensor) => layers.reduce((x, layer) => layer.apply(x) as tf.Tensor, input)) as Encoder['apply'],
  };
}
