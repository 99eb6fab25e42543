import { ConfigError, tf, validateConfig, type ConfigSchema, type Encoder } from '@polyfuse/core';
import { PositionalEmbedding } from '../layers/positionalEmbedding.js';
import { TransformerEncoderLayer } from '../layers/transformerEncoderLayer.js';

export const audioTransformerSchema: ConfigSchema = {
  inputShape: { type: 'number[]', default: [40, 32, 1], description: '[nMels, frames, 1] (audio-logmel output) or [frames, features].' },
  dModel: { type: 'integer', default: 64, min: 1, description: 'Model width D; frames are projected to it.' },
  numHeads: { type: 'integer', default: 4, min: 1 },
  numLayers: { type: 'integer', default: 2, min: 1 },
  ffUnits: { type: 'integer', default: 128, min: 1, description: 'Feed-forward hidden units.' },
  dropout: { type: 'number', default: 0, min: 0, max: 0.99 },
  pooling: { type: 'string', default: 'mean', enum: ['mean', 'none'], description: 'mean: [D] (average over frames); none: the sequence [frames, D].' },
};

/**
 * `encoder/audio-transformer`: a Transformer encoder over spectrogram frames.
 * A `[nMels, frames, 1]` input is transposed to `[frames, nMels]`; each frame
 * is projected to `dModel`, a learned position embedding is added, and
 * `numLayers` post-norm encoder layers follow. Output `[dModel]` (mean over
 * frames) or `[frames, dModel]` for attention-based fusion.
 */
export function createAudioTransformerEncoder(config: Record<string, unknown> = {}): Encoder {
  const { modality, ...options } = config;
  const o = validateConfig<{ inputShape: number[]; dModel: number; numHeads: number; numLayers: number; ffUnits: number; dropout: number; pooling: 'mean' | 'none' }>(
    audioTransformerSchema,
    options,
    'encoder/audio-transformer',
  );
  const shape = o.inputShape;
  if (!((shape.length === 3 && shape[2] === 1) || shape.length === 2) || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ConfigError(`encoder/audio-transformer.inputShape must be [nMels, frames, 1] or [frames, features], got ${JSON.stringify(shape)}.`);
  }
  if (o.dModel % o.numHeads !== 0) throw new ConfigError(`encoder/audio-transformer: dModel (${o.dModel}) must be divisible by numHeads (${o.numHeads}).`);
  const prefix = typeof modality === 'string' ? `${modality}_audiotransformer` : undefined;
  const name = (part: string) => (prefix ? { name: `${prefix}_${part}` } : {});
  const frames = shape.length === 3 ? shape[1]! : shape[0]!;
  const features = shape.length === 3 ? shape[0]! : shape[1]!;
  const layers: tf.layers.Layer[] = [];
  if (shape.length === 3) {
    layers.push(tf.layers.permute({ dims: [2, 1, 3], ...name('to_frames') }));
    layers.push(tf.layers.reshape({ targetShape: [frames, features], ...name('flatten_frames') }));
  }
  layers.push(tf.layers.dense({ units: o.dModel, ...name('projection') }));
  layers.push(new PositionalEmbedding({ ...name('positions') }));
  for (let i = 0; i < o.numLayers; i++) {
    layers.push(new TransformerEncoderLayer({ numHeads: o.numHeads, ffUnits: o.ffUnits, dropout: o.dropout, ...name(`layer${i + 1}`) }));
  }
  if (o.pooling === 'mean') layers.push(tf.layers.globalAveragePooling1d({ ...name('mean') }));
  return {
    inputShape: shape,
    inputDtype: 'float32',
    outputShape: o.pooling === 'mean' ? [o.dModel] : [frames, o.dModel],
    config: { name: 'audio-transformer', config: o },
    apply: ((input: tf.Tensor) => layers.reduce((x, layer) => layer.apply(x) as tf.Tensor, input)) as Encoder['apply'],
  };
}
