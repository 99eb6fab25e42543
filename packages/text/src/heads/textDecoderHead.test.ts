import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createMultimodalModel, generateSequences, initBackend, modelFromFiles, modelToFiles, registry, tf, type Encoder, type TargetInfo } from '@polyfuse/core';
import { WordTokenizer, padSequence } from '../index.js';
import './textDecoderHead.js';

/** Four "images" (fixed feature vectors) and their captions: a decoder head must learn to write each. */
const captions = ['a red ball', 'two cats sleep', 'a dog runs fast', 'the sky is blue'];
const tokenizer = new WordTokenizer({ addBosEos: true }).fit(captions);
const maxLength = 6;
const target: TargetInfo = { type: 'sequence', vocabSize: tokenizer.vocabSize, maxLength, padId: tokenizer.padId, bosId: tokenizer.bosId!, eosId: tokenizer.eosId! };

/** `encoder/test-features`: a dense layer over `[4]` features, as `[8]` or as a `[3, 8]` sequence. */
function registerFeatureEncoder(): void {
  registry.register(
    {
      kind: 'encoder',
      name: 'test-features',
      create: (config: { sequence?: boolean }): Encoder => {
        const dense = tf.layers.dense({ units: config.sequence ? 24 : 8, activation: 'tanh', name: `features_${config.sequence ? 'seq' : 'vec'}` });
        const reshape = tf.layers.reshape({ targetShape: [3, 8], name: 'features_reshape' });
        return {
          inputShape: [4],
          inputDtype: 'float32',
          outputShape: config.sequence ? [3, 8] : [8],
          config: { ...config },
          apply: ((x: tf.SymbolicTensor) => (config.sequence ? reshape.apply(dense.apply(x)) : dense.apply(x))) as Encoder['apply'],
        };
      },
    },
    { override: true },
  );
}

function batch() {
  const features = tf.tensor2d([
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ]);
  const tokens = tf.tensor2d(captions.map((c) => Array.from(padSequence(tokenizer.encode(c), maxLength, tokenizer.padId))), undefined, 'int32');
  return { inputs: { image: features }, targets: { caption: tokens } };
}

describe('head/text-decoder in a multimodal model', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: null });
    registerFeatureEncoder();
  });

  for (const variant of [
    { label: 'transformer on a pooled embedding', decoder: 'transformer', sequence: false },
    { label: 'transformer cross-attending to an encoder sequence', decoder: 'transformer', sequence: true },
    { label: 'LSTM on a pooled embedding', decoder: 'lstm', sequence: false },
  ]) {
    it(`learns to caption, decodes greedily and by beam search, and survives save/load (${variant.label})`, async () => {
      const model = createMultimodalModel(
        {
          encoders: { image: { name: 'test-features', config: { sequence: variant.sequence } } },
          heads: { caption: { name: 'text-decoder', target: 'caption', input: 'image', config: { decoder: variant.decoder, embeddingDim: 32, numHeads: 2, depth: 1, units: 32, dropout: 0 } } },
          seed: 3,
        },
        { targets: { caption: target } },
      );
      expect(model.outputNames).toContain('tokens_caption');
      expect(model.metadata.tokenInputs).toEqual(['tokens_in_caption']);
      const { inputs, targets } = batch();
      const optimizer = tf.train.adam(0.02);
      const labels = targets.caption.slice([0, 1], [-1, maxLength - 1]);
      const weights = tf.cast(tf.notEqual(labels, tokenizer.padId), 'float32');
      let last = Infinity;
      for (let step = 0; step < 80; step++) {
        const loss = optimizer.minimize(() => {
          const outputs = model.call({ inputs, targets }, { training: true });
          const logits = outputs.tokens_caption!;
          const picked = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(labels, tokenizer.vocabSize).toFloat()), -1);
          return tf.div(tf.neg(tf.sum(tf.mul(picked, weights))), tf.sum(weights)) as tf.Scalar;
        }, true)!;
        last = loss.dataSync()[0]!;
        loss.dispose();
      }
      expect(last).toBeLessThan(0.1);
      const greedy = generateSequences(model, { inputs }, 'caption').ids.map((ids) => tokenizer.decode(ids));
      expect(greedy).toEqual(captions);
      const beam = generateSequences(model, { inputs }, 'caption', { beamWidth: 3 });
      expect(beam.ids.map((ids) => tokenizer.decode(ids))).toEqual(captions);

      const loaded = await modelFromFiles(await modelToFiles(model));
      expect(generateSequences(loaded, { inputs }, 'caption').ids.map((ids) => tokenizer.decode(ids))).toEqual(captions);
      const before = model.call({ inputs, targets }).tokens_caption!;
      const after = loaded.call({ inputs, targets }).tokens_caption!;
      expect(tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]).toBeLessThan(1e-5);
      tf.dispose([before, after, labels, weights, inputs.image, targets.caption]);
      optimizer.dispose();
      model.dispose();
      loaded.dispose();
    }, 60_000);
  }

  it('refuses a decoder head on a target that is not a sequence, and a plain head on a sequence target', () => {
    expect(() =>
      createMultimodalModel(
        { encoders: { image: { name: 'test-features', config: {} } }, heads: { c: { name: 'text-decoder', target: 'label', input: 'image' } } },
        { targets: { label: { type: 'class', classes: ['a', 'b'] } } },
      ),
    ).toThrow(/sequence target/);
    expect(() => createMultimodalModel({ encoders: { image: { name: 'test-features', config: {} } }, heads: { c: { name: 'text-decoder', target: 'caption', input: 'fused' } } }, { targets: { caption: target } })).toThrow(ConfigError);
  });
});
