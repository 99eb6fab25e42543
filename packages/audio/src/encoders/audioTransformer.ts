import { ConfigError, PositionEmbedding, componentConfig, layerNamer, tf, transformerEncoderBlock, validateConfig, type ConfigSchema, type Encoder, type TransformerBlock } from '@polyfuse/core';

export const audioTransformerSchema: ConfigSchema = {
  inputShape: { type: 'number[]', default: [40, 32, 1], description: '[nMels, frames, 1] (audio-logmel output) or [frames, features].' },
  modelDim: { type: 'integer', default: 64, min: 1, description: 'Model width D; frames are projected to it.' },
  numHeads: { type: 'integer', default: 4, min: 1 },
  depth: { type: 'integer', default: 2, min: 1 },
  ffUnits: { type: 'integer', default: 128, min: 1, description: 'Feed-forward hidden units.' },
  dropout: { type: 'number', default: 0, min: 0, max: 0.99 },
  pooling: {
    type: 'string',
    default: 'mean',
    enum: ['mean', 'sequence'],
    description: 'mean: [D] (average over frames); sequence: every frame [frames, D].',
    deprecated: { values: { none: 'sequence' } },
  },
};

/**
 * `encoder/audio-transformer`: a Transformer encoder over spectrogram frames.
 * A `[nMels, frames, 1]` input is transposed to `[frames, nMels]`; each frame
 * is projected to `modelDim`, a learned position embedding is added (core's
 * `PositionEmbedding`), `depth` pre-norm blocks follow (core's
 * `transformerEncoderBlock`, as in text-transformer and image-vit) and a final
 * layer norm. Output `[modelDim]` (mean over frames) or `[frames, modelDim]` for
 * attention-based fusion. No `paddingMask`: the preprocessor gives a fixed
 * number of frames, so every frame counts as real.
 */
export function createAudioTransformerEncoder(config: Record<string, unknown> = {}): Encoder {
  const { modality, ...options } = config;
  const o = validateConfig<{ inputShape: number[]; modelDim: number; numHeads: number; depth: number; ffUnits: number; dropout: number; pooling: 'mean' | 'sequence' }>(
    audioTransformerSchema,
    options,
    'encoder/audio-transformer',
  );
  const shape = o.inputShape;
  if (!((shape.length === 3 && shape[2] === 1) || shape.length === 2) || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ConfigError(`encoder/audio-transformer.inputShape must be [nMels, frames, 1] or [frames, features], got ${JSON.stringify(shape)}.`);
  }
  if (o.modelDim % o.numHeads !== 0) throw new ConfigError(`encoder/audio-transformer: modelDim (${o.modelDim}) must be divisible by numHeads (${o.numHeads}).`);
  const name = layerNamer(modality, 'audiotransformer');
  const frames = shape.length === 3 ? shape[1]! : shape[0]!;
  const features = shape.length === 3 ? shape[0]! : shape[1]!;
  const toFrames =
    shape.length === 3 ? [tf.layers.permute({ dims: [2, 1, 3], ...name('to_frames') }), tf.layers.reshape({ targetShape: [frames, features], ...name('flatten_frames') })] : [];
  const projection = tf.layers.dense({ units: o.modelDim, ...name('projection') });
  const positions = new PositionEmbedding({ maxLength: frames, ...name('positions') });
  const blocks: TransformerBlock[] = Array.from({ length: o.depth }, (_, i) =>
    transformerEncoderBlock({ modelDim: o.modelDim, numHeads: o.numHeads, ffUnits: o.ffUnits, dropout: o.dropout, namePrefix: name(`block${i + 1}`).name }),
  );
  const finalNorm = tf.layers.layerNormalization({ epsilon: 1e-6, ...name('ln') });
  const mean = o.pooling === 'mean' ? tf.layers.globalAveragePooling1d({ ...name('mean') }) : undefined;
  const apply = (input: tf.Tensor): tf.Tensor => {
    let h = [...toFrames, projection, positions].reduce((x, layer) => layer.apply(x) as tf.Tensor, input);
    for (const block of blocks) h = block.apply(h);
    h = finalNorm.apply(h) as tf.Tensor;
    return mean ? (mean.apply(h) as tf.Tensor) : h;
  };
  return {
    inputShape: shape,
    inputDtype: 'float32',
    outputShape: o.pooling === 'mean' ? [o.modelDim] : [frames, o.modelDim],
    config: componentConfig('audio-transformer', o),
    apply: apply as Encoder['apply'],
  };
}
