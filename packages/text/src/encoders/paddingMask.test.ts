import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, registry, tf, withSeed, type Encoder } from '@polyfuse/core';
import '../index.js';
import { tokenBatch, tokenRows } from '../testing/tokenBatch.js';

const base = { vocabSize: 12, maxLength: 6, embeddingDim: 16 };
/** text-transformer calls its token width modelDim. */
const transformerBase = { vocabSize: 12, maxLength: 6, modelDim: 16 };
const realTokens = tokenRows.map((row) => row.map((id) => (id === 0 ? 0 : 1)));

/** The text encoders whose output is a sequence `[maxLength, D]`, one step per token. */
const sequenceEncoders: [string, Record<string, unknown>][] = [
  ['text-transformer', { ...transformerBase, numHeads: 2, depth: 1, pooling: 'sequence' }],
  ['text-rnn', { ...base, cell: 'lstm', units: 4, pooling: 'sequence' }],
  ['text-rnn', { ...base, cell: 'gru', units: 4, bidirectional: true, pooling: 'sequence', depth: 2 }],
];

/** Pooled configurations: no sequence, so no padding mask. */
const pooledEncoders: [string, Record<string, unknown>][] = [
  ['text-transformer', { ...transformerBase, numHeads: 2, depth: 1 }],
  ['text-rnn', { ...base, units: 4 }],
  ['text-cnn', { ...base, kernelSizes: [2], filters: 4 }],
  ['text-bag', { ...base }],
];

const build = (name: string, config: Record<string, unknown>) => withSeed(1, () => registry.create<Encoder>('encoder', name, config, undefined, { modality: 'text' }));

describe('text encoders: paddingMask', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
  });

  it.each(sequenceEncoders)('%s %j: 1 at real tokens, 0 at padding, one value per output step', (name, config) => {
    const encoder = build(name, config);
    expect(encoder.paddingMask).toBeTypeOf('function');
    const x = tokenBatch();
    const mask = encoder.paddingMask!(x);
    expect(mask.dtype).toBe('float32');
    expect(mask.shape).toEqual(encoder.apply(x).shape.slice(0, 2));
    expect(mask.arraySync()).toEqual(realTokens);
  });

  it.each(sequenceEncoders)('%s %j: works symbolically and survives save/load inside a tf.model', async (name, config) => {
    const encoder = build(name, config);
    const ids = tf.input({ shape: encoder.inputShape, dtype: 'int32' });
    const mask = encoder.paddingMask!(ids);
    expect(mask.shape).toEqual([null, base.maxLength]);
    const model = tf.model({ inputs: ids, outputs: [encoder.apply(ids), mask] });
    const [, predicted] = model.predict(tokenBatch()) as tf.Tensor[];
    expect(predicted!.arraySync()).toEqual(realTokens);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const [, reloaded] = loaded.predict(tokenBatch()) as tf.Tensor[];
    expect(reloaded!.arraySync()).toEqual(realTokens);
  });

  it('follows padId', () => {
    const encoder = build('text-transformer', { ...transformerBase, numHeads: 2, depth: 1, pooling: 'sequence', padId: 1 });
    const mask = encoder.paddingMask!(tf.tensor2d([[4, 1, 0, 1, 5, 1]], undefined, 'int32'));
    expect(mask.arraySync()).toEqual([[1, 0, 1, 0, 1, 0]]);
  });

  it.each(pooledEncoders)('%s %j pools, so it offers no paddingMask', (name, config) => {
    const encoder = build(name, config);
    expect(encoder.outputShape).toHaveLength(1);
    expect(encoder.paddingMask).toBeUndefined();
  });
});
